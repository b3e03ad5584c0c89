// A sandboxed processor for the runtime's own tests: runs in a child process forked by BullMQ.
import { sandboxedProcessor, PermanentJobError } from '@bidfcl/runtime';

export default sandboxedProcessor({
  'train.method.v1': async ({ runId, method }, ctx) => {
    await ctx.progress({ epoch: 1, epochs: 1, pid: process.pid });
    if (method === 'tsm-obs') throw new PermanentJobError(`no data for ${method}`);
    // A job that never ends, for the orphaned-child test.
    if (method === 'tsm-both') await new Promise(() => setInterval(() => undefined, 60_000));
    return {
      method,
      trainSeconds: 0.5,
      summaryKey: `runs/${runId}/models/${method}/training.json`,
      skipped: `pid ${process.pid} prefix ${ctx.runtime.env.prefix}`,
    };
  },
});
