import { keys } from '@bidfcl/contracts';
import { RunLostError, waitForRun, type RuntimeContext } from '@bidfcl/runtime';
import { CliError } from '../cli-error.js';
import { describeEvent } from '../output.js';

/**
 * `--wait` of `run` and `runs retry`: prints each stage and training progress until the run ends; exit status 1
 * when it failed or was cancelled (saying why), 0 when it succeeded.
 */
export async function waitAndReport(ctx: RuntimeContext, runId: string): Promise<number> {
  const record = await waitForRun(ctx, runId, (e) => {
    const line = describeEvent(e);
    if (line) console.log(line);
  }).catch((err: unknown) => {
    throw err instanceof RunLostError ? new CliError(err.message) : err;
  });
  if (record.status === 'cancelled') {
    console.error(`run ${runId} was ${record.error?.message}; bidfcl runs retry ${runId} resumes it`);
    return 1;
  }
  if (record.status === 'failed') {
    console.error(`run ${runId} failed at ${record.error?.stage}: ${record.error?.message}`);
    return 1;
  }
  console.log(`run ${runId} succeeded; report: ${ctx.store.describe(keys.reportHtml(runId))}`);
  return 0;
}
