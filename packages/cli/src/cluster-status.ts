import { QUEUES, ROLE_NAMES } from '@bidfcl/contracts';
import {
  DEPTH_STATES,
  liveWorkers,
  noWorkerMessage,
  queueDepths,
  queuesWithPendingJobs,
  rolesWithoutWorkers,
  roleOfQueue,
  type LiveWorkers,
  type QueueDepths,
  type RuntimeContext,
  type RuntimeEnv,
} from '@bidfcl/runtime';
import { connect } from './context.js';
import { table } from './output.js';

export function queueTable(depths: QueueDepths): string {
  return table(
    ['queue', 'role', ...DEPTH_STATES],
    QUEUES.map((q) => [q, roleOfQueue(q), ...DEPTH_STATES.map((s) => String(depths[q][s]))]),
  );
}

/** Live workers per role; when Redis will not list its clients, says so instead of showing zeros. */
export function workerLines(live: LiveWorkers): string {
  if (!live.known)
    return (
      `live workers: unknown (this Redis does not list its clients: ${live.reason}); ` +
      'queue depths above still show whether jobs are being taken'
    );
  return table(
    ['role', 'workers', 'processes'],
    ROLE_NAMES.map((r) => [r, String(live.byRole[r].length), live.byRole[r].join(' ')]),
  );
}

/** One plain line per role that has jobs to take and nobody to take them. */
export function missingWorkerLines(pending: Parameters<typeof rolesWithoutWorkers>[0], live: LiveWorkers): string[] {
  return rolesWithoutWorkers(pending, live).map(noWorkerMessage);
}

/** `bidfcl status` without a run id: queue depths, live workers, and what waits on a role nobody serves. */
export async function clusterStatus(ctx: RuntimeContext): Promise<string> {
  const [depths, live] = await Promise.all([queueDepths(ctx.queues), liveWorkers(ctx.queues)]);
  const missing = missingWorkerLines(queuesWithPendingJobs(depths), live);
  return [queueTable(depths), '', workerLines(live), ...(missing.length ? ['', ...missing] : [])].join('\n');
}

/**
 * Runs `fn` with a connection to the cluster's Redis; without one (Redis down or not configured) says why
 * instead: the runs in the store are worth showing anyway.
 */
export async function withCluster(env: RuntimeEnv, fn: (ctx: RuntimeContext) => Promise<string>): Promise<string> {
  let ctx: RuntimeContext;
  try {
    ctx = await connect(env);
  } catch (err) {
    return `queues and workers: unknown (${(err as Error).message})`;
  }
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}
