import { Job } from 'bullmq';
import { QUEUES, isSubstep, jobIds, keys, type JobName, type QueueName, type RunRecord } from '@bidfcl/contracts';
import type { RuntimeContext } from './context.js';
import { runCancelledKey } from './run-events.js';
import { readRunRecord, readStageRecords, withRunLock } from './run-store.js';

/** Job states in which a job will still run (or is running): a run with one of them is in progress. */
const LIVE_STATES = new Set(['active', 'waiting', 'delayed', 'prioritized', 'waiting-children']);

/** Every job of a run still in Redis: ids are `<runId>.<stage…>` (contracts' jobIds), keys `<prefix>:<queue>:<id>`. */
export async function runJobs(
  ctx: RuntimeContext,
  runId: string,
  queues: readonly QueueName[] = QUEUES,
): Promise<{ queue: QueueName; job: Job }[]> {
  const found: { queue: QueueName; job: Job }[] = [];
  for (const queue of queues) {
    const head = `${ctx.env.prefix}:${queue}:`;
    let cursor = '0';
    const ids = new Set<string>();
    do {
      const [next, batch] = await ctx.redis.scan(cursor, 'MATCH', `${head}${runId}.*`, 'COUNT', 1000);
      cursor = next;
      // A job's own hash; its companion keys (…:logs, …:dependencies, …:lock) carry one more ':' part.
      for (const k of batch) if (!k.slice(head.length).includes(':')) ids.add(k.slice(head.length));
    } while (cursor !== '0');
    for (const id of ids) {
      const job = await Job.fromId(ctx.queues.queue(queue), id);
      if (job) found.push({ queue, job });
    }
  }
  return found;
}

/**
 * Whether any of a run's jobs may still run. A substep (a hypergradient step) left by a job Redis lost is an orphan:
 * it does not keep the run in progress.
 */
export async function anyJobLive(jobs: readonly { job: Job }[]): Promise<boolean> {
  for (const { job } of jobs) if (!isSubstep(job.name as JobName) && LIVE_STATES.has(await job.getState())) return true;
  return false;
}

/**
 * Whether Redis still knows a run at all: the feature flow's root (kept a week after it completes) or the training
 * flow's root. Neither there while run.json says the run is unfinished means Redis lost its data (flushed, or
 * restarted without persistence) and no worker will ever move the run on.
 */
export async function runKnownToRedis(ctx: RuntimeContext, record: RunRecord): Promise<boolean> {
  const runId = record.runId;
  const roots = [
    `features:${jobIds.featuresFinalize(runId)}`,
    `evaluation:${jobIds.evaluate(runId)}`,
    ...(record.config.allocate ? [`allocation:${jobIds.allocatePlan(runId)}`] : []),
  ];
  return (await ctx.redis.exists(...roots.map((r) => `${ctx.env.prefix}:${r}`))) > 0;
}

/**
 * Prepares an unfinished run for a new start from what the store holds (issue 13, items 2 and 3): a run whose jobs
 * Redis lost, a failed run (an outage longer than its retries), or a cancelled one (its mark is lifted). Refuses
 * (returns false) while any of its jobs may still run. Removes its finished jobs (their deterministic ids would
 * make enqueueing again a no-op), drops the stage records that did not succeed, and puts run.json back to
 * 'queued'. Succeeded stages run again too (deterministically, over the same artefacts); training resumes from its
 * checkpoints.
 */
export async function resetRunForResume(ctx: RuntimeContext, record: RunRecord): Promise<boolean> {
  const jobs = await runJobs(ctx, record.runId);
  if (await anyJobLive(jobs)) return false;
  for (const { queue, job } of jobs) await ctx.queues.queue(queue).remove(job.id!, { removeChildren: true });
  await ctx.redis.del(runCancelledKey(ctx.env.prefix, record.runId));
  // Under the run's lock: a job of the run ending now (a cancelled one stopping) rewrites run.json under it too.
  await withRunLock(ctx, record.runId, async () => {
    const stages = await readStageRecords(ctx, record.runId);
    for (const s of Object.values(stages))
      if (s.status !== 'succeeded') await ctx.store.deletePrefix(keys.stageRecord(record.runId, s.stage));
    const kept = Object.fromEntries(Object.entries(stages).filter(([, s]) => s.status === 'succeeded'));
    const { error: _error, ...rest } = await readRunRecord(ctx, record.runId);
    void _error;
    await ctx.store.putJson(keys.runJson(record.runId), {
      ...rest,
      status: 'queued',
      stages: kept,
      updatedAt: new Date().toISOString(),
    });
  });
  return true;
}
