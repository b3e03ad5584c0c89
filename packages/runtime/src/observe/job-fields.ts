import { runIdOfJob } from '../job-stage.js';

/** What a log line and a metric need of a BullMQ job (its Job class, or a test's plain object). */
export interface ObservedJob {
  id?: string | undefined;
  name: string;
  data: unknown;
  attemptsMade: number;
  attemptsStarted?: number;
  processedOn?: number | undefined;
  finishedOn?: number | undefined;
  timestamp?: number;
}

export interface JobLogFields {
  runId?: string;
  jobId: string;
  job: string;
  queue: string;
  /** 1 on the first attempt; a job taken up again after its worker died counts as a new attempt. */
  attempt: number;
  durationMs?: number;
}

/**
 * Which attempt this is, 1-based. BullMQ counts starts (attemptsStarted, which includes restarts after a stall)
 * apart from ended attempts (attemptsMade, which already includes the current one once it has ended): the starts
 * say which attempt is running; the ended count serves jobs read from an older record without it.
 */
export function attemptOf(job: ObservedJob): number {
  return Math.max(job.attemptsStarted ?? 0, job.attemptsMade, 1);
}

/** How long the attempt ran (ms): from its start until it ended, or until `now` when BullMQ left no end time. */
export function attemptDurationMs(job: ObservedJob, now: number): number | undefined {
  if (job.processedOn === undefined) return undefined;
  return Math.max(0, (job.finishedOn ?? now) - job.processedOn);
}

/** The fields every job's start, end and failure lines carry (a run's jobs carry its runId). */
export function jobLogFields(queue: string, job: ObservedJob, now?: number): JobLogFields {
  const runId = runIdOfJob(job.data);
  const durationMs = now === undefined ? undefined : attemptDurationMs(job, now);
  return {
    ...(runId ? { runId } : {}),
    jobId: job.id ?? '',
    job: job.name,
    queue,
    attempt: attemptOf(job),
    ...(durationMs !== undefined ? { durationMs } : {}),
  };
}
