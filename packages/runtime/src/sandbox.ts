import type { SandboxedJob } from 'bullmq';
import { createRuntimeContext, type RuntimeContext } from './context.js';
import { runJob, type JobHandlers } from './handlers.js';

/**
 * The default export of a sandboxed processor module. BullMQ forks a child process that imports the module;
 * the child builds its own runtime context from the environment the parent passed (runtimeEnvToVars).
 */
export function sandboxedProcessor(
  handlers: Partial<JobHandlers>,
  setup?: () => Promise<void>,
): (job: SandboxedJob) => Promise<unknown> {
  // A child whose parent died (SIGKILL, OOM, a killed `bidfcl bench`) would go on computing a job nobody will
  // collect, or wait for ever on one (a trainer awaiting hypergradients from a queue no one serves). Leave when
  // the IPC channel to the parent closes: the job's lock then expires and a live worker retries it.
  if (process.send) process.once('disconnect', () => process.exit(1));
  let ctx: RuntimeContext | undefined;
  let ready: Promise<void> | undefined;
  return async (job: SandboxedJob) => {
    ready ??= (setup ?? (async () => undefined))();
    await ready;
    ctx ??= createRuntimeContext();
    return runJob(handlers, ctx, job);
  };
}
