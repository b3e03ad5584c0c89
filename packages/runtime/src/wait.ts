import type { RunRecord } from '@bidfcl/contracts';
import type { RuntimeContext } from './context.js';
import { subscribeRunEvents, type RunEvent } from './run-events.js';
import { runFailure } from './run-failure.js';
import { readRunRecord, readStageRecords } from './run-store.js';

/** How long a failed run's reason may take to arrive after the run's own failure event. */
const ROOT_RECORD_WAIT_MS = 10_000;

/**
 * Resolves with the run's final record once it has succeeded or failed, calling `onEvent` for every stage and
 * progress event meanwhile. Subscribes first, then reads run.json, so a run that ended in between is not missed.
 * A run failed through a parent (BullMQ's "child … failed") can be declared failed before the failing child's own
 * record is written by its worker, moments later: then the failing stage's event is awaited (bounded), so that
 * the reason returned is the child's own message rather than the parent's.
 */
export async function waitForRun(
  ctx: RuntimeContext,
  runId: string,
  onEvent?: (e: RunEvent) => void,
): Promise<RunRecord> {
  let settle!: () => void;
  const ended = new Promise<void>((r) => (settle = r));
  let onStageFailed: ((stage: string) => void) | undefined;
  const unsubscribe = await subscribeRunEvents(ctx.redis, ctx.env.prefix, runId, (e) => {
    onEvent?.(e);
    if (e.type === 'run') settle();
    if (e.type === 'stage' && e.status === 'failed') onStageFailed?.(e.stage);
  });
  try {
    const current = await readRunRecord(ctx, runId);
    if (current.status !== 'succeeded' && current.status !== 'failed') await ended;
    const record = await readRunRecord(ctx, runId);
    const root = record.status === 'failed' ? record.error?.stage : undefined;
    if (!root || record.stages[root]?.status === 'failed') return record;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      onStageFailed = (stage) => stage === root && resolve();
      timer = setTimeout(resolve, ROOT_RECORD_WAIT_MS);
    });
    clearTimeout(timer);
    // The stage event is published after its record is stored: name the failure from the records themselves.
    const stages = await readStageRecords(ctx, runId);
    const error = runFailure(runId, stages);
    return { ...record, stages, ...(error ? { error } : {}) };
  } finally {
    await unsubscribe();
  }
}
