import type { RunRecord } from '@bidfcl/contracts';
import type { RuntimeContext } from './context.js';
import { subscribeRunEvents, type RunEvent } from './run-events.js';
import { readRunRecord } from './run-store.js';

/**
 * Resolves with the run's final record once it has succeeded or failed, calling `onEvent` for every stage and
 * progress event meanwhile. Subscribes first, then reads run.json, so a run that ended in between is not missed.
 */
export async function waitForRun(
  ctx: RuntimeContext,
  runId: string,
  onEvent?: (e: RunEvent) => void,
): Promise<RunRecord> {
  let settle!: () => void;
  const ended = new Promise<void>((r) => (settle = r));
  const unsubscribe = await subscribeRunEvents(ctx.redis, ctx.env.prefix, runId, (e) => {
    onEvent?.(e);
    if (e.type === 'run') settle();
  });
  try {
    const current = await readRunRecord(ctx, runId);
    if (current.status !== 'succeeded' && current.status !== 'failed') await ended;
    return await readRunRecord(ctx, runId);
  } finally {
    await unsubscribe();
  }
}
