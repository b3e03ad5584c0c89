import { QUEUES, type QueueName, type Role } from '@bidfcl/contracts';
import type { RuntimeContext } from '../context.js';
import { runJobs } from '../run-jobs.js';
import { liveWorkers, roleOfQueue, rolesWithoutWorkers, type LiveWorkers } from './worker-presence.js';

/** States of a job that no worker has taken yet: it waits for one (a job waiting on its children does not). */
const UNTAKEN = new Set(['waiting', 'delayed', 'prioritized']);

/** The queues (of `among`) where a run has jobs no worker has taken yet. */
export async function runPendingQueues(
  ctx: RuntimeContext,
  runId: string,
  among: readonly QueueName[] = QUEUES,
): Promise<QueueName[]> {
  const queues = new Set<QueueName>();
  for (const { queue, job } of await runJobs(ctx, runId, among))
    if (UNTAKEN.has(await job.getState())) queues.add(queue);
  return [...queues];
}

/**
 * The roles a run waits on that have no live worker (none when Redis cannot say who is connected). Only the
 * queues of roles nobody serves are searched for the run's jobs: with every role served (the usual case) it
 * costs one CLIENT LIST per queue, not a look at each of the run's thousands of hypergradient jobs.
 */
export async function runWaitsOnMissingWorkers(
  ctx: RuntimeContext,
  runId: string,
  live?: LiveWorkers,
): Promise<{ roles: Role[]; live: LiveWorkers }> {
  const workers = live ?? (await liveWorkers(ctx.queues));
  if (!workers.known) return { roles: [], live: workers };
  const unserved = QUEUES.filter((q) => workers.byRole[roleOfQueue(q)].length === 0);
  if (unserved.length === 0) return { roles: [], live: workers };
  return { roles: rolesWithoutWorkers(await runPendingQueues(ctx, runId, unserved), workers), live: workers };
}
