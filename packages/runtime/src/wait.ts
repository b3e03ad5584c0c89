import { isRunFinished, type RunRecord } from '@bidfcl/contracts';
import type { RuntimeContext } from './context.js';
import { subscribeRunEvents, type RunEvent } from './run-events.js';
import { runFailure } from './run-failure.js';
import { DEFAULT_REDIS_URL } from './env.js';
import { runKnownToRedis } from './run-jobs.js';
import { readRunRecord, readStageRecords } from './run-store.js';

/** How long a failed run's reason may take to arrive after the run's own failure event. */
const ROOT_RECORD_WAIT_MS = 10_000;
/** How often a waiter looks at run.json and at Redis itself, besides listening to the run's events. */
export const RUN_POLL_MS = 5000;

/** host:port/db of a Redis URL, without credentials (the message goes to terminals and logs). */
function redisLocation(url: string | undefined): string {
  try {
    const u = new URL(url ?? DEFAULT_REDIS_URL);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'the configured Redis';
  }
}

/** Redis no longer holds any job of an unfinished run: nothing will ever finish it (issue 13, item 3). */
export class RunLostError extends Error {
  constructor(runId: string, redis: string) {
    super(
      `run ${runId} lost its jobs: Redis at ${redis} holds none of them (its data was flushed, or it restarted ` +
        'without persistence; see README, Reliability). Submit the run again with the same run id ' +
        '(bidfcl run --config …) to resume it from what the store holds.',
    );
    this.name = 'RunLostError';
  }
}

/**
 * Resolves with the run's final record once it has succeeded, failed or been cancelled, calling `onEvent` for every
 * stage and progress event meanwhile. Subscribes first, then reads run.json, so a run that ended in between is not
 * missed.
 * A run failed through a parent (BullMQ's "child … failed") can be declared failed before the failing child's own
 * record is written by its worker, moments later: then the failing stage's event is awaited (bounded), so that
 * the reason returned is the child's own message rather than the parent's.
 * Every RUN_POLL_MS it also reads run.json (an event published while Redis was restarting never arrives) and
 * checks that Redis still knows the run: one whose jobs are gone rejects with {@link RunLostError}.
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
  let lost: ((err: Error) => void) | undefined;
  const gone = new Promise<never>((_, reject) => (lost = reject));
  let timer: NodeJS.Timeout | undefined;
  let polling = true;
  const poll = async () => {
    try {
      const r = await readRunRecord(ctx, runId);
      if (isRunFinished(r.status)) return settle();
      if (!(await runKnownToRedis(ctx, r))) return lost?.(new RunLostError(runId, redisLocation(ctx.env.redisUrl)));
    } catch {
      /* the store or Redis unreachable for a moment: look again at the next tick */
    }
    if (polling) timer = setTimeout(() => void poll(), RUN_POLL_MS);
  };
  try {
    const current = await readRunRecord(ctx, runId);
    if (!isRunFinished(current.status)) {
      timer = setTimeout(() => void poll(), RUN_POLL_MS);
      await Promise.race([ended, gone]);
    }
    const record = await readRunRecord(ctx, runId);
    const root = record.status === 'failed' ? record.error?.stage : undefined;
    if (!root || record.stages[root]?.status === 'failed') return record;
    let rootTimer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      onStageFailed = (stage) => stage === root && resolve();
      rootTimer = setTimeout(resolve, ROOT_RECORD_WAIT_MS);
    });
    clearTimeout(rootTimer);
    // The stage event is published after its record is stored: name the failure from the records themselves.
    const stages = await readStageRecords(ctx, runId);
    const error = runFailure(runId, stages);
    return { ...record, stages, ...(error ? { error } : {}) };
  } finally {
    polling = false;
    clearTimeout(timer);
    await unsubscribe();
  }
}
