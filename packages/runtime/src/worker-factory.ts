import { Worker, type Job } from 'bullmq';
import { JOBS, ROLES, type JobName, type QueueName, type Role } from '@bidfcl/contracts';
import type { RuntimeContext } from './context.js';
import { runtimeEnvToVars } from './env.js';
import { runJob, type JobHandlers } from './handlers.js';
import { publishRunEvent } from './run-events.js';
import { runIdOfJob } from './job-stage.js';
import { recordStage, stageOfJob } from './run-store.js';

export interface RoleWorkerOptions {
  /** Handlers for the role's jobs, run in this process. */
  handlers: Partial<JobHandlers>;
  /** Queues whose jobs run in a sandboxed child process instead: queue → processor module path. */
  sandboxed?: Partial<Record<QueueName, string>>;
  concurrency?: number;
  /**
   * How long a job's lock lasts without renewal (default 60 s): a job whose worker died is taken up again about
   * this long after. Shorter recovers faster, but a handler that blocks the event loop longer loses its job.
   */
  lockDurationMs?: number;
  /** Called for every job that ends (tests, logs). */
  onJobEnd?(e: { queue: QueueName; jobId: string; name: string; status: 'completed' | 'failed'; error?: string }): void;
}

export interface RoleWorkers {
  role: Role;
  workers: Worker[];
  close(): Promise<void>;
}

/** No further attempt will follow: the error is unrecoverable, or the catalog's attempts are used up. */
const isFinalFailure = (job: Job, err: Error) =>
  err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);

/**
 * Starts one BullMQ worker per queue of `role`. Payload validation, error mapping and the stage records of
 * running and succeeded jobs happen in runJob (in this process or a sandboxed child); this wrapper records
 * final failures and publishes progress and retries.
 */
export function startRoleWorkers(ctx: RuntimeContext, role: Role, opts: RoleWorkerOptions): RoleWorkers {
  const queues: readonly QueueName[] = ROLES[role];
  // Failure records written from the 'failed' event, awaited by close() so none is lost on shutdown.
  const pending = new Set<Promise<unknown>>();
  const track = (jobId: string, fn: () => Promise<unknown>) => {
    const p = fn().catch((err) => {
      process.stderr.write(`[bidfcl] could not record stage of job ${jobId}: ${(err as Error).message}\n`);
    });
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  const workers = queues.map((queue) => {
    const sandbox = opts.sandboxed?.[queue];
    const processor = sandbox ?? ((job: Job) => runJob(opts.handlers, ctx, job));
    const worker = new Worker(queue, processor, {
      connection: ctx.redis,
      prefix: ctx.env.prefix,
      concurrency: opts.concurrency ?? 1,
      // Training jobs run for minutes; lock renewal happens in this process even while the child computes.
      lockDuration: opts.lockDurationMs ?? 60_000,
      // Stalled jobs (their worker died) are looked for at least once per lock duration.
      stalledInterval: Math.min(30_000, opts.lockDurationMs ?? 30_000),
      ...(sandbox ? { workerForkOptions: { env: { ...process.env, ...runtimeEnvToVars(ctx.env) } } } : {}),
    });
    worker.on('error', (err) => process.stderr.write(`[bidfcl] ${role}/${queue} worker error: ${err.message}\n`));
    worker.on('progress', (job, progress) => {
      const runId = runIdOfJob(job.data);
      if (!runId || !job.id) return;
      void publishRunEvent(ctx.redis, ctx.env.prefix, runId, {
        type: 'progress',
        stage: stageOfJob(runId, job.id),
        progress,
      }).catch(() => undefined);
    });
    worker.on('completed', (job) =>
      opts.onJobEnd?.({ queue, jobId: job.id ?? '', name: job.name, status: 'completed' }),
    );
    worker.on('failed', (job, err) => {
      if (!job) return;
      const final = isFinalFailure(job, err);
      opts.onJobEnd?.({ queue, jobId: job.id ?? '', name: job.name, status: 'failed', error: err.message });
      const runId = runIdOfJob(job.data);
      if (!runId || !job.id) return;
      const stage = stageOfJob(runId, job.id);
      const message = `${JOBS[job.name as JobName] ? job.name : 'job'} ${job.id}: ${err.message}`;
      track(job.id, async () => {
        if (final) {
          await recordStage(
            ctx,
            runId,
            {
              stage,
              status: 'failed',
              jobId: job.id,
              finishedAt: new Date().toISOString(),
              artefacts: [],
              error: err.message,
            },
            { status: 'failed', error: message },
          );
        } else {
          await publishRunEvent(ctx.redis, ctx.env.prefix, runId, {
            type: 'stage',
            stage,
            status: 'retrying',
            error: message,
          });
        }
      });
    });
    return worker;
  });

  return {
    role,
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...pending]);
    },
  };
}
