import type { QueueName, Role } from '@bidfcl/contracts';
import type { RuntimeContext } from '../context.js';
import { runJobs } from '../run-jobs.js';
import { liveWorkers, rolesWithoutWorkers, type LiveWorkers } from './worker-presence.js';

/** States of a job that no worker has taken yet: it waits for one (a job waiting on its children does not). */
const UNTAKEN = new Set(['waiting', 'delayed', 'prioritized']);

/** The queues where a run has jobs no worker has taken yet. */
export async function runPendingQueues(ctx: RuntimeContext, runId: string): Promise<QueueName[]> {
  const queues = new Set<QueueName>();
  for (const { queue, job } of await runJobs(ctx, runId)) if (UNTAKEN.has(await job.getState())) queues.add(queue);
  return [...queues];
}

/** The roles a run waits on that have no live worker (none when Redis cannot say who is connected). */
export async function runWaitsOnMissingWorkers(
  ctx: RuntimeContext,
  runId: string,
  live?: LiveWorkers,
): Promise<{ roles: Role[]; live: LiveWorkers }> {
  const workers = live ?? (await liveWorkers(ctx.queues));
  return { roles: rolesWithoutWorkers(await runPendingQueues(ctx, runId), workers), live: workers };
}
