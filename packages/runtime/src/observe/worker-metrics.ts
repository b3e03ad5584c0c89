import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueName } from '@bidfcl/contracts';
import type { Queues } from '../queues.js';
import type { TrainingProgress } from './training-progress.js';

/** Job states whose sizes are exported: what waits, what runs, what is scheduled for a retry, what gave up. */
export const DEPTH_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

// Seconds: from a feature part (well under a second) to a long training job (an hour).
const JOB_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
const HYPERGRAD_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/*
 * The job's name is labelled `job_name`, not `job`: Prometheus sets `job` on every series it scrapes (the scrape
 * job), and a target's own `job` label would be renamed `exported_job`.
 */
const JOB_LABELS = ['job_name'] as const;

/** A worker process's Prometheus metrics, on a registry of its own (tests start several workers in one process). */
export function createWorkerMetrics(role: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ role });
  // Node's own (CPU, memory, event-loop lag): lag is what the liveness probe's patience is about.
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    completed: new Counter({
      name: 'bidfcl_jobs_completed_total',
      help: 'Jobs this worker completed',
      labelNames: JOB_LABELS,
      registers,
    }),
    failed: new Counter({
      name: 'bidfcl_jobs_failed_total',
      help: 'Jobs that failed on this worker for good (no attempt follows)',
      labelNames: JOB_LABELS,
      registers,
    }),
    retried: new Counter({
      name: 'bidfcl_jobs_retried_total',
      help: 'Attempts that failed on this worker with another attempt to follow',
      labelNames: JOB_LABELS,
      registers,
    }),
    duration: new Histogram({
      name: 'bidfcl_job_duration_seconds',
      help: "An attempt's run time on this worker, by job name and outcome (completed, failed)",
      labelNames: [...JOB_LABELS, 'status'],
      buckets: JOB_BUCKETS,
      registers,
    }),
    epoch: new Gauge({
      name: 'bidfcl_training_epoch',
      help: 'The last epoch a trainer on this worker reported, by method',
      labelNames: ['method'],
      registers,
    }),
    loss: new Gauge({
      name: 'bidfcl_training_loss',
      help: "The last epoch's loss, by method and kind (lower: the student's, upper: decision loss, val)",
      labelNames: ['method', 'kind'],
      registers,
    }),
    hypergradLatency: new Histogram({
      name: 'bidfcl_hypergradient_latency_seconds',
      help: 'From a hypergradient request (the job enqueued by a trainer) to its answer (the job completed)',
      buckets: HYPERGRAD_BUCKETS,
      registers,
    }),
  };
}
export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

export function recordTrainingProgress(m: WorkerMetrics, p: TrainingProgress): void {
  m.epoch.set({ method: p.method }, p.epoch);
  for (const [kind, value] of Object.entries(p.losses)) m.loss.set({ method: p.method, kind }, value);
}

/**
 * Queue depths, read from Redis when Prometheus scrapes (a gauge kept up to date by events would miss jobs other
 * processes add). A Redis that does not answer leaves the gauge empty for that scrape rather than failing it.
 */
export function registerQueueDepths(m: WorkerMetrics, queues: Queues, names: readonly QueueName[]): void {
  new Gauge({
    name: 'bidfcl_queue_jobs',
    help: 'Jobs in a queue by state (waiting, active, delayed, failed), read at scrape time',
    labelNames: ['queue', 'state'],
    registers: [m.registry],
    async collect() {
      this.reset();
      const counts = await Promise.all(
        names.map((q) =>
          queues
            .queue(q)
            .getJobCounts(...DEPTH_STATES)
            .catch(() => undefined),
        ),
      );
      names.forEach((queue, i) => {
        for (const state of DEPTH_STATES) {
          const n = counts[i]?.[state];
          if (n !== undefined) this.set({ queue, state }, n);
        }
      });
    },
  });
}
