import { UnrecoverableError } from 'bullmq';
import { isRunFinished, keys, type Origin, type RunRecord } from '@bidfcl/contracts';
import type { RuntimeContext } from './context.js';
import { cliOrigin } from './origin.js';
import { publishRunEvent, runCancelledKey } from './run-events.js';
import { runJobs } from './run-jobs.js';
import { readRunRecord, withRunLock } from './run-store.js';

/**
 * Cancelling a run (README, Operations: run management). Two marks: run.json says 'cancelled' (durable, what users
 * and retries read), and a Redis key that workers check cheaply before every job of the run and at every progress
 * report of a long one (a training job reports each epoch), so a job already running stops at its next epoch
 * rather than at its end. Jobs not yet running are removed from their queues.
 */

/**
 * Thrown inside a job of a cancelled run: unrecoverable, so it is not retried. Its name stays 'UnrecoverableError'
 * (a subclass would take its own), which is how BullMQ and the worker recognise it, also across a sandbox's IPC.
 */
export class RunCancelledError extends UnrecoverableError {
  constructor(runId: string) {
    super(`run ${runId} was cancelled (bidfcl runs cancel); bidfcl runs retry ${runId} resumes it`);
    this.name = 'UnrecoverableError';
  }
}

export async function isRunCancelled(ctx: Pick<RuntimeContext, 'redis' | 'env'>, runId: string): Promise<boolean> {
  return (await ctx.redis.exists(runCancelledKey(ctx.env.prefix, runId))) > 0;
}

/** Throws {@link RunCancelledError} when the run has been cancelled. */
export async function throwIfCancelled(ctx: Pick<RuntimeContext, 'redis' | 'env'>, runId: string): Promise<void> {
  if (await isRunCancelled(ctx, runId)) throw new RunCancelledError(runId);
}

export interface CancelOutcome {
  /** The run's status before: a finished run is left as it was. */
  before: RunRecord['status'];
  cancelled: boolean;
  /** Jobs taken out of their queues, and jobs running now (they stop at their next progress report or end). */
  removedJobs: number;
  runningJobs: number;
}

/**
 * Cancels an unfinished run: run.json says 'cancelled' (under the run's lock, so that a stage ending meanwhile
 * does not write over it), then the Redis mark, then its jobs that are not running are removed, and the run's
 * final event goes out so that `run --wait` returns. In that order: a job stopped by the mark finds the run
 * cancelled already and cannot make it 'failed'. A finished run is left alone (`cancelled: false`).
 */
export async function cancelRun(ctx: RuntimeContext, runId: string, by: Origin = cliOrigin()): Promise<CancelOutcome> {
  const who = by.user ? `${by.user} (${by.via})` : by.via;
  const error = { stage: 'cancel', message: `cancelled by ${who} at ${new Date().toISOString()}` };
  const before = await withRunLock(ctx, runId, async () => {
    const current = await readRunRecord(ctx, runId);
    if (isRunFinished(current.status)) return { status: current.status, finished: true };
    const updated: RunRecord = { ...current, status: 'cancelled', error, updatedAt: new Date().toISOString() };
    await ctx.store.putJson(keys.runJson(runId), updated);
    return { status: current.status, finished: false };
  });
  if (before.finished) return { before: before.status, cancelled: false, removedJobs: 0, runningJobs: 0 };
  await ctx.redis.set(runCancelledKey(ctx.env.prefix, runId), JSON.stringify({ by, at: new Date().toISOString() }));
  let removedJobs = 0;
  let runningJobs = 0;
  for (const { queue, job } of await runJobs(ctx, runId)) {
    const state = await job.getState();
    if (state === 'completed' || state === 'failed') continue;
    if (state === 'active') {
      runningJobs++;
      continue;
    }
    // A job locked meanwhile (just picked up) cannot be removed: it stops at its first check instead.
    const removed = await ctx.queues
      .queue(queue)
      .remove(job.id!, { removeChildren: true })
      .catch(() => 0);
    if (removed) removedJobs++;
  }
  await publishRunEvent(ctx.redis, ctx.env.prefix, runId, { type: 'run', status: 'cancelled', error });
  return { before: before.status, cancelled: true, removedJobs, runningJobs };
}
