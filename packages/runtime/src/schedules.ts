import { runConfigSchema, type RunConfig } from '@bidfcl/contracts';
import type { RuntimeContext } from './context.js';

export interface ScheduleInfo {
  id: string;
  pattern: string;
  tz?: string;
  next?: number;
  runIdPrefix?: string;
}

/**
 * Nightly retraining: a BullMQ job scheduler on the `runs` queue that enqueues run.start.v1 on a cron pattern.
 * Each firing starts a run `<config.runId>-<yyyymmddhhmm>`, stamped with the firing's scheduled time in UTC (dataset
 * sources such as `store:datasets/x/@latest/rct/` resolve to the newest version at that moment). Upserting the same
 * id replaces the schedule.
 */
export async function addSchedule(
  ctx: RuntimeContext,
  id: string,
  pattern: string,
  config: RunConfig,
  tz?: string,
): Promise<void> {
  const q = ctx.queues.queue('runs');
  await q.upsertJobScheduler(
    id,
    { pattern, ...(tz ? { tz } : {}) },
    { name: 'run.start.v1', data: { config: runConfigSchema.parse(config), runIdSuffix: 'timestamp' } },
  );
}

export async function listSchedules(ctx: RuntimeContext): Promise<ScheduleInfo[]> {
  const q = ctx.queues.queue('runs');
  const all = await q.getJobSchedulers(0, -1, true);
  return all.map((s) => ({
    id: s.key,
    pattern: s.pattern ?? '',
    ...(s.tz ? { tz: s.tz } : {}),
    ...(s.next ? { next: s.next } : {}),
    ...((s.template?.data as { config?: RunConfig } | undefined)?.config
      ? { runIdPrefix: (s.template!.data as { config: RunConfig }).config.runId }
      : {}),
  }));
}

export async function removeSchedule(ctx: RuntimeContext, id: string): Promise<boolean> {
  return ctx.queues.queue('runs').removeJobScheduler(id);
}

/** The run id a scheduled firing gets: `<base>-<yyyymmddhhmm>` in UTC. */
export function scheduledRunId(base: string, at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${base}-${at.getUTCFullYear()}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}` +
    `${p(at.getUTCHours())}${p(at.getUTCMinutes())}`
  );
}

/** A scheduled run id's parts (the inverse of {@link scheduledRunId}); undefined for a run no schedule named. */
export function scheduledRunParts(runId: string): { base: string; stamp: string } | undefined {
  const m = /^(.+)-(\d{12})$/.exec(runId);
  return m ? { base: m[1]!, stamp: m[2]! } : undefined;
}

/**
 * The scheduled runs of the same schedule as `runId` that came before it, latest first, among `ids`: same base,
 * an earlier stamp (yyyymmddhhmm sorts as time). Empty when `runId` is no scheduled run.
 */
export function earlierScheduledRuns(runId: string, ids: readonly string[]): string[] {
  const self = scheduledRunParts(runId);
  if (!self) return [];
  return ids
    .map((id) => ({ id, parts: scheduledRunParts(id) }))
    .filter(({ parts }) => parts?.base === self.base && parts.stamp < self.stamp)
    .sort((a, b) => b.parts!.stamp.localeCompare(a.parts!.stamp))
    .map(({ id }) => id);
}
