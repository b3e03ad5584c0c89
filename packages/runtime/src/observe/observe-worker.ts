import type { Job, Worker } from 'bullmq';
import { sanitiseMessage } from '@bidfcl/io';
import { JOBS, isSubstep, type JobName, type QueueName } from '@bidfcl/contracts';
import { isFinalFailure } from '../final-failure.js';
import { jobLogFields } from './job-fields.js';
import type { Logger } from './logger.js';
import { trainingProgressOf } from './training-progress.js';
import { recordTrainingProgress, type WorkerMetrics } from './worker-metrics.js';

export interface WorkerObservers {
  /** A line per job start, end and failure. */
  log?: Logger;
  metrics?: WorkerMetrics;
}

/**
 * The level of a job's start and end lines: a Bi-DFCL run's thousands of hypergradient steps (substeps) would
 * bury every other line at info, so theirs are debug; the counters and the latency histogram still see each one.
 * Failures are always warn or error.
 */
export const routineLevel = (name: string): 'info' | 'debug' =>
  name in JOBS && isSubstep(name as JobName) ? 'debug' : 'info';

/**
 * Logs and counts every job of one BullMQ worker from its events, so that every role (and the sandboxed queues,
 * whose handlers run in a child process) is observed alike, without a line in any handler.
 */
export function observeWorker(worker: Worker, queue: QueueName, { log, metrics }: WorkerObservers): void {
  if (!log && !metrics) return;
  worker.on('active', (job: Job) => log?.[routineLevel(job.name)](jobLogFields(queue, job), 'job started'));
  worker.on('completed', (job: Job) => {
    const fields = jobLogFields(queue, job, Date.now());
    log?.[routineLevel(job.name)](fields, 'job completed');
    if (!metrics) return;
    metrics.completed.inc({ job_name: job.name });
    if (fields.durationMs !== undefined)
      metrics.duration.observe({ job_name: job.name, status: 'completed' }, fields.durationMs / 1000);
    // Enqueued by a trainer to its answer: what a trainer waiting on it sees, queueing included.
    if (queue === 'hypergrad' && job.timestamp && job.finishedOn)
      metrics.hypergradLatency.observe(Math.max(0, job.finishedOn - job.timestamp) / 1000);
  });
  worker.on('failed', (job: Job | undefined, err: Error) => {
    if (!job) return;
    const fields = jobLogFields(queue, job, Date.now());
    const final = isFinalFailure(job, err);
    // Messages are sanitised as for run.json: a library's message may quote the content of a user's file.
    log?.[final ? 'error' : 'warn']({ ...fields, final, error: sanitiseMessage(err.message) }, 'job failed');
    if (!metrics) return;
    (final ? metrics.failed : metrics.retried).inc({ job_name: job.name });
    if (fields.durationMs !== undefined)
      metrics.duration.observe({ job_name: job.name, status: 'failed' }, fields.durationMs / 1000);
  });
  if (metrics)
    worker.on('progress', (_job: Job, progress: unknown) => {
      const p = trainingProgressOf(progress);
      if (p) recordTrainingProgress(metrics, p);
    });
}
