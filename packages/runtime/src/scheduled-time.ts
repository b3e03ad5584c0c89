/** What a job carries that says when a BullMQ job scheduler meant it to run. */
export interface SchedulerJobFields {
  id?: string | undefined;
  /** The job scheduler's id, on every job a scheduler adds. */
  repeatJobKey?: string | undefined;
  timestamp?: number;
  opts?: { prevMillis?: number | undefined };
}

/**
 * When a job scheduler's firing was due (ms since epoch), or undefined for a job no scheduler added.
 *
 * Why not the job's `timestamp`: BullMQ adds a firing's job when the previous firing runs (or when the scheduler
 * is upserted), delayed until its time, so `timestamp` is the previous period. Its `delay` is zeroed when the job
 * is promoted to waiting, so `timestamp + delay` is gone by the time a worker sees it. `opts.prevMillis` holds the
 * time only for cron patterns (BullMQ 6 computes `every` firings inside Redis). The job id does hold it for both:
 * BullMQ names a firing `repeat:<scheduler id>:<due millis>` (job-scheduler.js getSchedulerNextJobId, and the
 * Lua scripts that look firings up by that id), so the id is read first and `opts.prevMillis` is the fallback.
 */
export function scheduledTimeOf(job: SchedulerJobFields): number | undefined {
  if (!job.repeatJobKey) return undefined;
  const prefix = `repeat:${job.repeatJobKey}:`;
  if (job.id?.startsWith(prefix)) {
    const millis = Number(job.id.slice(prefix.length));
    if (Number.isSafeInteger(millis) && millis > 0) return millis;
  }
  const prev = job.opts?.prevMillis;
  return typeof prev === 'number' && Number.isFinite(prev) && prev > 0 ? prev : undefined;
}
