import { Worker, type Job } from 'bullmq';
import { JOBS, ROLES, type JobName, type QueueName, type Role } from '@bidfcl/contracts';
import type { RuntimeContext } from './context.js';
import { runtimeEnvToVars } from './env.js';
import { runJob, type JobHandlers } from './handlers.js';
import { publishRunEvent } from './run-events.js';
import { recordStage, stageOfJob } from './run-store.js';

export interface RoleWorkerOptions {
  /** Handlers for the role's jobs, run in this process. */
  handlers: Partial<JobHandlers>;
  /** Queues whose jobs run in a sandboxed child process instead: queue → processor module path. */
  sandboxed?: Partial<Record<QueueName, string>>;
  concurrency?: number;
  /** Called for every job that ends (tests, logs). */
  onJobEnd?(e: { queue: QueueName; jobId: string; name: string; status: 'completed' | 'failed'; error?: string }): void;
}

export interface RoleWorkers {
  role: Role;
  workers: Worker[];
  close(): Promise<void>;
}

/** No further attempt will follow: the error is unrecoverable, or the catalog's attempts are used up. */
const isFinalFailure = (job: Job, err: Error) => err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);

/** The run id of a catalog job: every payload carries one. */
const runIdOf = (job: Job): string | undefined => {
  const d = job.data as { runId?: unknown } | undefined;
  return typeof d?.runId === 'string' ? d.runId : undefined;
};

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : undefined);

/** Artefact keys mentioned in a result (strings and string arrays that look like store keys). */
function artefactsIn(result: unknown): string[] {
  if (!result || typeof result !== 'object') return [];
  return Object.values(result as Record<string, unknown>)
    .flatMap((v) => (Array.isArray(v) ? v : [v]))
    .filter((v): v is string => typeof v === 'string' && /^(runs|datasets)\//.test(v));
}

/**
 * Starts one BullMQ worker per queue of `role`. Payload validation and error mapping happen in runJob; this
 * wrapper records each stage's status, timings and artefacts in the run's records and publishes progress.
 */
export function startRoleWorkers(ctx: RuntimeContext, role: Role, opts: RoleWorkerOptions): RoleWorkers {
  const queues: readonly QueueName[] = ROLES[role];
  // Stage writes for one job are chained so that 'running' can never land after 'succeeded'.
  const chains = new Map<string, Promise<unknown>>();
  const chain = (jobId: string, fn: () => Promise<unknown>) => {
    const next = (chains.get(jobId) ?? Promise.resolve()).then(fn).catch((err) => {
      process.stderr.write(`[bidfcl] could not record stage of job ${jobId}: ${(err as Error).message}\n`);
    });
    chains.set(jobId, next);
    void next.finally(() => {
      if (chains.get(jobId) === next) chains.delete(jobId);
    });
    return next;
  };

  const workers = queues.map((queue) => {
    const sandbox = opts.sandboxed?.[queue];
    const processor = sandbox ?? ((job: Job) => runJob(opts.handlers, ctx, job));
    const worker = new Worker(queue, processor, {
      connection: ctx.redis,
      prefix: ctx.env.prefix,
      concurrency: opts.concurrency ?? 1,
      // Training jobs run for minutes; lock renewal happens in this process even while the child computes.
      lockDuration: 60_000,
      ...(sandbox ? { workerForkOptions: { env: { ...process.env, ...runtimeEnvToVars(ctx.env) } } } : {}),
    });
    worker.on('error', (err) => process.stderr.write(`[bidfcl] ${role}/${queue} worker error: ${err.message}\n`));
    worker.on('active', (job) => {
      const runId = runIdOf(job);
      if (!runId || !job.id) return;
      const stage = stageOfJob(runId, job.id);
      void chain(job.id, async () => {
        await recordStage(ctx, runId, { stage, status: 'running', jobId: job.id, startedAt: iso(job.processedOn) ?? new Date().toISOString(), artefacts: [] });
        await publishRunEvent(ctx.redis, ctx.env.prefix, runId, { type: 'stage', stage, status: 'running' });
      });
    });
    worker.on('progress', (job, progress) => {
      const runId = runIdOf(job);
      if (!runId || !job.id) return;
      void publishRunEvent(ctx.redis, ctx.env.prefix, runId, { type: 'progress', stage: stageOfJob(runId, job.id), progress }).catch(() => undefined);
    });
    worker.on('completed', (job, result) => {
      opts.onJobEnd?.({ queue, jobId: job.id ?? '', name: job.name, status: 'completed' });
      const runId = runIdOf(job);
      if (!runId || !job.id) return;
      const stage = stageOfJob(runId, job.id);
      const seconds = job.processedOn && job.finishedOn ? (job.finishedOn - job.processedOn) / 1000 : undefined;
      void chain(job.id, async () => {
        await recordStage(ctx, runId, {
          stage,
          status: 'succeeded',
          jobId: job.id,
          ...(iso(job.processedOn) ? { startedAt: iso(job.processedOn) } : {}),
          finishedAt: iso(job.finishedOn) ?? new Date().toISOString(),
          ...(seconds !== undefined ? { seconds } : {}),
          artefacts: artefactsIn(result),
          ...(result && typeof result === 'object' ? { summary: result as Record<string, unknown> } : {}),
        });
        await publishRunEvent(ctx.redis, ctx.env.prefix, runId, { type: 'stage', stage, status: 'succeeded', ...(seconds !== undefined ? { seconds } : {}) });
      });
    });
    worker.on('failed', (job, err) => {
      if (!job) return;
      const final = isFinalFailure(job, err);
      opts.onJobEnd?.({ queue, jobId: job.id ?? '', name: job.name, status: 'failed', error: err.message });
      const runId = runIdOf(job);
      if (!runId || !job.id) return;
      const stage = stageOfJob(runId, job.id);
      const message = `${JOBS[job.name as JobName] ? job.name : 'job'} ${job.id}: ${err.message}`;
      void chain(job.id, async () => {
        if (final) {
          await recordStage(ctx, runId, { stage, status: 'failed', jobId: job.id, finishedAt: new Date().toISOString(), artefacts: [], error: err.message });
        }
        await publishRunEvent(ctx.redis, ctx.env.prefix, runId, { type: 'stage', stage, status: final ? 'failed' : 'retrying', error: message });
      });
    });
    return worker;
  });

  return {
    role,
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...chains.values()]);
    },
  };
}
