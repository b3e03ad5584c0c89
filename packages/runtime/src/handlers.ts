import { UnrecoverableError } from 'bullmq';
import { JOBS, formatZodError, type JobName, type JobPayload, type JobResult } from '@bidfcl/contracts';
import type { RuntimeContext } from './context.js';
import { isPermanentError } from './errors.js';
import { parseJobResult } from './job-result.js';
import { throwIfCancelled } from './run-cancel.js';
import { jobScope } from './job-scope.js';
import { jobStage, runIdOfJob } from './job-stage.js';
import { stageOfJob } from './run-store.js';
import { scheduledTimeOf, type SchedulerJobFields } from './scheduled-time.js';

/** What a handler may do besides computing: report progress, and know which attempt it is. */
export interface JobContext {
  runtime: RuntimeContext;
  jobId: string;
  /** 0 on the first attempt. A handler that checkpoints uses it to decide whether to resume. */
  attempt: number;
  /** When the job was created (ms since epoch): a stable time for names derived from it, across retries. */
  createdAt: number;
  /**
   * When a job scheduler meant this job to run (ms since epoch); absent for jobs no scheduler added. Names that
   * stand for a firing use it: the job was created a period earlier (see scheduledTimeOf).
   */
  scheduledAt?: number;
  progress(p: number | Record<string, unknown>): Promise<void>;
}

export type JobHandler<N extends JobName> = (payload: JobPayload<N>, ctx: JobContext) => Promise<JobResult<N>>;
/** One handler per catalog job: a missing handler is a compile error where the full set is assembled. */
export type JobHandlers = { [N in JobName]: JobHandler<N> };

/** The minimal job shape shared by BullMQ's Job and its SandboxedJob. */
export interface RunnableJob extends SchedulerJobFields {
  name: string;
  data: unknown;
  attemptsMade: number;
  updateProgress(p: number | object): Promise<void>;
}

/**
 * Validates the payload, runs the handler, validates the result. Bad payloads and permanent errors become
 * UnrecoverableError (failed at once, never retried); everything else propagates and is retried. The job's
 * stage record goes to 'running' before the handler and to 'succeeded' before this returns (see jobStage); a
 * final failure is recorded by the worker's 'failed' event, which alone knows whether a retry follows.
 */
export async function runJob(
  handlers: Partial<JobHandlers>,
  runtime: RuntimeContext,
  job: RunnableJob,
): Promise<unknown> {
  const name = job.name as JobName;
  const entry = JOBS[name];
  if (!entry)
    throw new UnrecoverableError(`unknown job '${job.name}' (job ${job.id}); known: ${Object.keys(JOBS).join(', ')}`);
  const payload = entry.payload.safeParse(job.data);
  if (!payload.success)
    throw new UnrecoverableError(`invalid payload for ${name} (job ${job.id}):\n${formatZodError(payload.error)}`);
  const handler = handlers[name] as JobHandler<JobName> | undefined;
  if (!handler) throw new UnrecoverableError(`no handler for ${name} in this worker`);
  const scheduledAt = scheduledTimeOf(job);
  const runId = runIdOfJob(job.data);
  // A cancelled run's jobs stop before they start, and long ones at their next progress report (run-cancel.ts).
  if (runId) await throwIfCancelled(runtime, runId);
  const ctx: JobContext = {
    runtime,
    jobId: job.id ?? '',
    attempt: job.attemptsMade,
    createdAt: job.timestamp ?? Date.now(),
    ...(scheduledAt !== undefined ? { scheduledAt } : {}),
    progress: async (p) => {
      await job.updateProgress(p);
      if (runId) await throwIfCancelled(runtime, runId);
    },
  };
  const stage = jobStage(runtime, job);
  const run = async () => {
    await stage?.started();
    const result = parseJobResult(name, ctx.jobId, await handler(payload.data as never, ctx));
    await stage?.succeeded(result);
    return result;
  };
  try {
    return runId ? await jobScope.run({ runId, stage: stageOfJob(runId, ctx.jobId) }, run) : await run();
  } catch (err) {
    if (err instanceof UnrecoverableError) throw err;
    if (isPermanentError(err)) {
      const e = new UnrecoverableError((err as Error).message);
      if ((err as Error).stack) e.stack = (err as Error).stack!;
      throw e;
    }
    throw err;
  }
}
