import { Queue } from 'bullmq';
import { QUEUES, keys } from '@bidfcl/contracts';
import type { RuntimeContext } from './context.js';
import { runCancelledKey, runNoticeKey } from './run-events.js';
import { anyJobLive, runJobs } from './run-jobs.js';
import { planPrune, type PrunableRun, type PruneRule } from './run-prune-plan.js';
import { listRuns, readRunRecord } from './run-store.js';

export class RunInProgressError extends Error {
  constructor(runId: string, status: string) {
    super(
      `run ${runId} is ${status} and has jobs that may still run: cancel it first (bidfcl runs cancel ${runId}), ` +
        'then delete it once its running jobs have stopped',
    );
    this.name = 'RunInProgressError';
  }
}

export interface DeletedRun {
  runId: string;
  /** Store objects deleted under runs/<runId>/. */
  objects: number;
  /** Jobs of the run removed from Redis. */
  jobs: number;
}

/**
 * Deletes a run: its jobs in Redis (all of them finished, else {@link RunInProgressError}), its Redis marks, and every
 * object under runs/<runId>/ in the store, its folders first and run.json with the run's own files last, so that a
 * delete cut short is still listed and can be repeated. Model versions promoted from the run keep their own copy of
 * the weights (registry), and population allocations live under allocations/: neither is touched.
 */
export async function deleteRun(ctx: RuntimeContext, runId: string): Promise<DeletedRun> {
  const record = await readRunRecord(ctx, runId);
  const jobs = await runJobs(ctx, runId);
  if (await anyJobLive(jobs)) throw new RunInProgressError(runId, record.status);
  for (const { queue, job } of jobs)
    await ctx.queues
      .queue(queue)
      .remove(job.id!, { removeChildren: true })
      .catch(() => 0);
  await ctx.redis.del(runCancelledKey(ctx.env.prefix, runId), runNoticeKey(ctx.env.prefix, runId));
  // One deletePrefix per folder below the run (each lists its own objects once), then the run's own files, run.json
  // among them: deleting each object by its key listed the prefix once per object.
  const prefix = keys.runPrefix(runId);
  let objects = 0;
  for (const dir of await ctx.store.listDirs(prefix)) objects += await ctx.store.deletePrefix(`${prefix}${dir}/`);
  objects += await ctx.store.deletePrefix(prefix);
  return { runId, objects, jobs: jobs.length };
}

export interface PruneOutcome {
  /** Runs deleted (or, with dryRun, that would be). */
  runs: DeletedRun[];
  /** Runs kept because they are in progress or inside the rule. */
  kept: number;
  /** Finished jobs removed from the queues, per queue prefix. */
  jobsCleaned: Record<string, number>;
}

/**
 * `runs prune`: deletes the finished runs `planPrune` picks, then removes finished (completed and failed) jobs from
 * every queue of the given prefixes (the runtime's and the bench's, `<prefix>-bench`), finished longer ago than
 * `olderThanMs` (all of them with `keep` alone). Run records live in the store, so a finished job in Redis
 * serves nothing once its run has ended; without this, BullMQ keeps up to 10,000 completed jobs per queue for a
 * week and failed ones for a month. With `dryRun` nothing is deleted and `runs` lists what would be.
 */
export async function pruneRuns(
  ctx: RuntimeContext,
  rule: PruneRule,
  opts: { dryRun?: boolean; prefixes?: string[]; now?: number; onRun?(d: DeletedRun): void } = {},
): Promise<PruneOutcome> {
  const now = opts.now ?? Date.now();
  const all: PrunableRun[] = await listRuns(ctx);
  const doomed = planPrune(all, rule, now);
  const runs: DeletedRun[] = [];
  for (const r of doomed) {
    if (opts.dryRun) {
      runs.push({ runId: r.runId, objects: 0, jobs: 0 });
      continue;
    }
    const d = await deleteRun(ctx, r.runId).catch((err: unknown) => {
      // A run that started again since it was listed (a retry) is no longer finished: leave it.
      if (err instanceof RunInProgressError) return undefined;
      throw err;
    });
    if (d) {
      runs.push(d);
      opts.onRun?.(d);
    }
  }
  const jobsCleaned: Record<string, number> = {};
  if (!opts.dryRun) {
    const grace = rule.olderThanMs ?? 0;
    for (const prefix of opts.prefixes ?? [ctx.env.prefix, `${ctx.env.prefix}-bench`])
      jobsCleaned[prefix] = await cleanFinishedJobs(ctx, prefix, grace);
  }
  return { runs, kept: all.length - runs.length, jobsCleaned };
}

/** Removes completed and failed jobs finished more than `graceMs` ago from every queue under `prefix`. */
export async function cleanFinishedJobs(ctx: RuntimeContext, prefix: string, graceMs: number): Promise<number> {
  let removed = 0;
  for (const name of QUEUES) {
    const own = prefix === ctx.env.prefix;
    // A queue that never held a job (no bench run under this prefix, say): nothing to clean, and a Queue object
    // would leave its meta and events keys behind.
    if (!own && !(await ctx.redis.exists(`${prefix}:${name}:id`, `${prefix}:${name}:meta`))) continue;
    const queue = own ? ctx.queues.queue(name) : new Queue(name, { connection: ctx.redis, prefix });
    try {
      for (const state of ['completed', 'failed'] as const) {
        // clean() takes at most `limit` per call; 0 means all, which on a big queue is one long Lua call: batches.
        for (;;) {
          const batch = await queue.clean(graceMs, 1000, state);
          removed += batch.length;
          if (batch.length < 1000) break;
        }
      }
    } finally {
      if (!own) await queue.close();
    }
  }
  return removed;
}
