import { hostname } from 'node:os';
import { Job, Worker } from 'bullmq';
import { isTransientStoreError, sanitiseMessage } from '@bidfcl/io';
import { JOBS, ROLES, keys, maxStalledCount, type JobName, type QueueName, type Role } from '@bidfcl/contracts';
import type { RuntimeContext } from './context.js';
import { runtimeEnvToVars } from './env.js';
import { runJob, type JobHandlers } from './handlers.js';
import { jobScope } from './job-scope.js';
import { publishRunEvent } from './run-events.js';
import { runIdOfJob } from './job-stage.js';
import { allocationIdOfJob, recordRunAllocation } from './run-allocation.js';
import { recordStage, stageOfJob } from './run-store.js';
import { guardSandboxInit } from './sandbox-init-guard.js';
import { guardSandboxSend } from './sandbox-send-guard.js';
import { isFinalFailure } from './final-failure.js';
import { observeWorker, type WorkerObservers } from './observe/observe-worker.js';
import { workerName } from './observe/worker-presence.js';
import { notice } from './observe/notices.js';

export interface RoleWorkerOptions extends WorkerObservers {
  /** Handlers for the role's jobs, run in this process. */
  handlers: Partial<JobHandlers>;
  /** Queues whose jobs run in a sandboxed child process instead: queue → processor module path. */
  sandboxed?: Partial<Record<QueueName, string>>;
  concurrency?: number;
  /**
   * How long a job's lock lasts without renewal (default: `lockSettings`): a job whose worker died is taken up
   * again about this long after. Shorter recovers faster, but a handler that blocks the event loop longer loses
   * its job.
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

/** Rounds of the store's own retry policy a failure record gets (6 × the default 10 min: an hour). */
const FAILURE_RECORD_ROUNDS = 6;

async function untilStored<T>(write: () => Promise<T>): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await write();
    } catch (err) {
      if (round >= FAILURE_RECORD_ROUNDS || !isTransientStoreError(err)) throw err;
    }
  }
}

/**
 * How soon a job whose worker died (SIGKILL, OOM, a lost machine) is picked up again: its lock expires after
 * lockDuration, and a live worker's stalled check, every stalledInterval, finds it twice (marked, then moved),
 * so recovery takes at most lockDuration + 2 × stalledInterval. A sandboxed queue's lock is renewed by this
 * process, whose event loop stays free while the child computes: a short lock is safe (≤ 25 s to recover). An
 * in-process handler may hold the event loop for a long synchronous step: a short lock would expire under it and
 * the job would run twice, so those keep a long one (≤ 120 s).
 */
export function lockSettings(
  sandboxed: boolean,
  lockDurationMs?: number,
): { lockDuration: number; stalledInterval: number } {
  const byKind = sandboxed
    ? { lockDuration: 15_000, stalledInterval: 5_000 }
    : { lockDuration: 60_000, stalledInterval: 30_000 };
  if (lockDurationMs === undefined) return byKind;
  // A lock chosen by the operator (`bidfcl worker --lock-seconds`): stalled jobs are looked for at least once per lock.
  return { lockDuration: lockDurationMs, stalledInterval: Math.min(byKind.stalledInterval, lockDurationMs) };
}

/**
 * Starts one BullMQ worker per queue of `role`. Payload validation, error mapping and the stage records of
 * running and succeeded jobs happen in runJob (in this process or a sandboxed child); this wrapper records
 * final failures and publishes progress and retries.
 */
export function startRoleWorkers(ctx: RuntimeContext, role: Role, opts: RoleWorkerOptions): RoleWorkers {
  const queues: readonly QueueName[] = ROLES[role];
  // Failure records written from the 'failed' event, awaited by close() so none is lost on shutdown.
  const pending = new Set<Promise<unknown>>();
  // Without a logger of their own (tests, the demo) problems are the runtime's notices (stderr by default).
  const warn = (fields: object, message: string) =>
    opts.log ? opts.log.warn(fields, message) : notice(message, fields);
  const track = (jobId: string, fn: () => Promise<unknown>) => {
    const p = fn().catch((err) => {
      warn({ jobId }, `could not record stage of job ${jobId}: ${(err as Error).message}`);
    });
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  if (Object.keys(opts.sandboxed ?? {}).length) {
    guardSandboxInit();
    guardSandboxSend();
  }
  const workers = queues.map((queue) => {
    const sandbox = opts.sandboxed?.[queue];
    const processor = sandbox ?? ((job: Job) => runJob(opts.handlers, ctx, job));
    const worker = new Worker(queue, processor, {
      connection: ctx.redis,
      prefix: ctx.env.prefix,
      name: workerName(role, hostname(), process.pid),
      concurrency: opts.concurrency ?? 1,
      ...lockSettings(!!sandbox, opts.lockDurationMs),
      maxStalledCount: maxStalledCount(queue),
      ...(sandbox ? { workerForkOptions: { env: { ...process.env, ...runtimeEnvToVars(ctx.env) } } } : {}),
    });
    // While Redis is away every reconnection attempt fails alike: say each different error once a minute at most.
    let lastError = { message: '', at: 0 };
    worker.on('error', (err) => {
      const now = Date.now();
      if (err.message === lastError.message && now - lastError.at < 60_000) return;
      lastError = { message: err.message, at: now };
      warn({ role, queue }, `${role}/${queue} worker error: ${err.message}`);
    });
    observeWorker(worker, queue, opts);
    worker.on('progress', (job, progress) => {
      const runId = runIdOfJob(job.data);
      if (!runId || !job.id) return;
      void publishRunEvent(ctx.redis, ctx.env.prefix, runId, {
        type: 'progress',
        stage: stageOfJob(runId, job.id),
        progress,
      }).catch(() => undefined);
    });
    // The stalled check found the job's worker gone and put the job back in the queue: say so, since it may sit
    // there until a worker of the role is (re)started, and `run --wait` would otherwise fall silent.
    worker.on('stalled', (jobId) =>
      track(jobId, async () => {
        const job = await Job.fromId(ctx.queues.queue(queue), jobId);
        const runId = runIdOfJob(job?.data);
        if (!runId) return;
        await publishRunEvent(ctx.redis, ctx.env.prefix, runId, {
          type: 'stage',
          stage: stageOfJob(runId, jobId),
          status: 'stalled',
          error: 'its worker stopped without finishing it; back in the queue, waiting to be picked up again',
        });
      }),
    );
    worker.on('completed', (job) =>
      opts.onJobEnd?.({ queue, jobId: job.id ?? '', name: job.name, status: 'completed' }),
    );
    worker.on('failed', (job, err) => {
      if (!job) return;
      const final = isFinalFailure(job, err);
      opts.onJobEnd?.({ queue, jobId: job.id ?? '', name: job.name, status: 'failed', error: err.message });
      const runId = runIdOfJob(job.data);
      const allocationId = allocationIdOfJob(job.data);
      if (!runId && allocationId && job.id && final) {
        const failure = { status: 'failed' as const, jobId: job.id, error: sanitiseMessage(err.message) };
        // Nothing of a failed allocation is published, so its staged work goes too (a sibling shard still running
        // may write its part after this; `bidfcl allocations list` shows such a leftover as unfinished).
        track(job.id, async () => {
          await untilStored(() => recordRunAllocation(ctx, allocationId, failure));
          await ctx.store.deletePrefix(keys.allocationStagingPrefix(allocationId));
        });
        return;
      }
      if (!runId || !job.id) return;
      const stage = stageOfJob(runId, job.id);
      // What goes to run.json and the run's channel: no library message carries raw file content or escapes there.
      const reason = sanitiseMessage(err.message);
      const message = `${JOBS[job.name as JobName] ? job.name : 'job'} ${job.id}: ${reason}`;
      track(job.id, () =>
        jobScope.run({ runId, stage }, async () => {
          if (final) {
            // The record of a failure must outlive an outage of the store longer than one retry policy (otherwise
            // the run stays 'running' for ever: issue 13, item 2): try again while the store is unreachable.
            await untilStored(() =>
              recordStage(
                ctx,
                runId,
                {
                  stage,
                  status: 'failed',
                  jobId: job.id,
                  finishedAt: new Date().toISOString(),
                  artefacts: [],
                  error: reason,
                },
                { status: 'failed', error: message },
              ),
            );
          } else {
            await publishRunEvent(ctx.redis, ctx.env.prefix, runId, {
              type: 'stage',
              stage,
              status: 'retrying',
              error: message,
            });
          }
        }),
      );
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
