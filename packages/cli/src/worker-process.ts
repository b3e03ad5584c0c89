import { ROLES, type Role } from '@bidfcl/contracts';
import {
  createWorkerMetrics,
  registerQueueDepths,
  startMetricsServer,
  type Logger,
  type MetricsServer,
  type RoleWorkerOptions,
  type RoleWorkers,
  type RuntimeContext,
} from '@bidfcl/runtime';
import { startRole } from './cluster.js';

export interface WorkerProcessOptions extends Pick<RoleWorkerOptions, 'lockDurationMs'> {
  concurrency: number;
  log: Logger;
  /** Serve /metrics, /healthz, /readyz on this port (0: any free port); none without it. */
  metricsPort?: number;
  metricsHost?: string;
}

export interface WorkerProcess {
  workers: RoleWorkers;
  metrics?: MetricsServer;
  close(): Promise<void>;
}

/** What keeps a worker from taking jobs: readiness fails while its Redis connection is down. */
const notReady = (ctx: RuntimeContext) => () =>
  ctx.redis.status === 'ready' ? [] : [`Redis connection is ${ctx.redis.status}`];

/** `bidfcl worker <role>`: the role's workers, their logger and, with a metrics port, their HTTP side. */
export async function startWorkerProcess(
  ctx: RuntimeContext,
  role: Role,
  o: WorkerProcessOptions,
): Promise<WorkerProcess> {
  const metrics = o.metricsPort === undefined ? undefined : createWorkerMetrics(role);
  // The server first: a port already taken fails the command before any job is taken.
  let server: MetricsServer | undefined;
  if (metrics) {
    registerQueueDepths(metrics, ctx.queues, ROLES[role]);
    server = await startMetricsServer({
      registry: metrics.registry,
      port: o.metricsPort!,
      ...(o.metricsHost ? { host: o.metricsHost } : {}),
      notReadyReasons: notReady(ctx),
    });
  }
  const workers = startRole(ctx, role, o.concurrency, {
    ...(o.lockDurationMs === undefined ? {} : { lockDurationMs: o.lockDurationMs }),
    log: o.log,
    ...(metrics ? { metrics } : {}),
  });
  return {
    workers,
    ...(server ? { metrics: server } : {}),
    async close() {
      await workers.close();
      await server?.close();
    },
  };
}
