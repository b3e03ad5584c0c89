import { Job } from 'bullmq';
import { QUEUES, keys, runMetricsSchema, type RunRecord } from '@bidfcl/contracts';
import { readRunRecordIfAny, readVersion, runNoticeKey, type RuntimeContext } from '@bidfcl/runtime';
import { readModelRows } from '../models-read.js';
import type { ModelWithVersions } from './models-page.js';
import type { FailedJob, RunPageData } from './run-page.js';

/**
 * The failed jobs of a run's failed stages, from Redis: the stage record names the job id but not its queue, so
 * each queue of the catalog is asked (six lookups, only for failed stages). Jobs Redis no longer holds are left out.
 */
export async function failedJobsOf(ctx: RuntimeContext, record: RunRecord): Promise<FailedJob[]> {
  const found: FailedJob[] = [];
  for (const s of Object.values(record.stages)) {
    if (s.status !== 'failed' || !s.jobId) continue;
    for (const queue of QUEUES) {
      const job = await Job.fromId(ctx.queues.queue(queue), s.jobId);
      if (!job?.failedReason) continue;
      found.push({
        stage: s.stage,
        queue,
        jobId: s.jobId,
        attemptsMade: job.attemptsMade,
        failedReason: job.failedReason,
      });
      break;
    }
  }
  return found;
}

/** Everything the run page shows, or undefined for a run the store does not hold. */
export async function loadRunPage(ctx: RuntimeContext, runId: string): Promise<RunPageData | undefined> {
  const record = await readRunRecordIfAny(ctx, runId);
  if (!record) return undefined;
  const unfinished = record.status === 'running' || record.status === 'queued';
  const metricsKey = keys.reportMetrics(runId);
  // A metrics.json that does not parse is shown as missing rather than failing the page: run.json still tells.
  const parsed = (await ctx.store.exists(metricsKey))
    ? runMetricsSchema.safeParse(await ctx.store.getJson(metricsKey))
    : undefined;
  return {
    record,
    metrics: parsed?.success ? parsed.data : undefined,
    reportAvailable: await ctx.store.exists(keys.reportHtml(runId)),
    failedJobs: await failedJobsOf(ctx, record),
    // The key `bidfcl status` reads (readRunNotice), on the dashboard's own connection.
    notice: unfinished ? ((await ctx.redis.get(runNoticeKey(ctx.env.prefix, runId))) ?? undefined) : undefined,
  };
}

/** Every model with the records of all its versions. */
export async function loadModels(ctx: RuntimeContext): Promise<ModelWithVersions[]> {
  const rows = await readModelRows(ctx.store);
  return Promise.all(
    rows.map(async (row) => ({
      ...row,
      records: await Promise.all(row.versions.map((v) => readVersion(ctx.store, row.model, v))),
    })),
  );
}
