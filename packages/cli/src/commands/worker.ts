import { ROLE_NAMES, type Role } from '@bidfcl/contracts';
import { closeOnSignals, createLogger, routeNoticesTo } from '@bidfcl/runtime';
import { intOption, parse, printed } from '../args.js';
import { CliError, usageError } from '../cli-error.js';
import { connect } from '../context.js';
import { logLevelOrUsage } from '../log-level.js';
import { startWorkerProcess } from '../worker-process.js';

export const workerHelp = `bidfcl worker <role> [--concurrency n] [--lock-seconds s]
                     [--metrics-port p] [--metrics-host h]
  Roles: ${ROLE_NAMES.join(', ')}. Start more processes of a role to scale it; stop with SIGINT/SIGTERM
  (active jobs finish first). --lock-seconds (default 15 for the sandboxed training and hypergradient queues, 60
  for the others): a job whose worker died is retried about this long after; keep it above the longest time a
  job may block its process.
  --metrics-port: serve /metrics (Prometheus), /healthz and /readyz on this port (0: any free one; compose and
  k8s use 9464), bound to --metrics-host (default 0.0.0.0).
  Logs: one line per job start, end and failure (runId, jobId, job, attempt, durationMs), JSON unless stdout is
  a terminal; BIDFCL_LOG_LEVEL (default info) sets the level.`;

export async function workerCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      concurrency: { type: 'string' },
      'lock-seconds': { type: 'string' },
      'metrics-port': { type: 'string' },
      'metrics-host': { type: 'string' },
      help: { type: 'boolean' },
    },
    true,
  );
  if (values.help) return printed(workerHelp);
  const role = positionals[0] as Role | undefined;
  if (!role || !ROLE_NAMES.includes(role))
    throw usageError(`unknown role '${role ?? ''}'; one of: ${ROLE_NAMES.join(', ')}`);
  const concurrency = intOption(values.concurrency, 'concurrency', 1);
  // Without --lock-seconds each queue keeps the lock its kind needs (runtime's lockSettings).
  const lock = values['lock-seconds'];
  const lockDurationMs = lock === undefined ? undefined : intOption(lock, 'lock-seconds', 1) * 1000;
  const port = values['metrics-port'];
  const metricsPort = port === undefined ? undefined : intOption(port, 'metrics-port', 0, 0);
  if (metricsPort !== undefined && metricsPort > 65535) throw usageError(`--metrics-port must be ≤ 65535, got ${port}`);
  const log = createLogger(`worker:${role}`, { level: logLevelOrUsage() });
  routeNoticesTo(log);
  const ctx = await connect();
  const proc = await startWorkerProcess(ctx, role, {
    concurrency,
    log,
    ...(lockDurationMs === undefined ? {} : { lockDurationMs }),
    ...(metricsPort === undefined ? {} : { metricsPort }),
    ...(values['metrics-host'] ? { metricsHost: values['metrics-host'] } : {}),
  }).catch(async (err: NodeJS.ErrnoException) => {
    await ctx.close();
    if (err.code === 'EADDRINUSE') throw new CliError(`--metrics-port ${metricsPort}: the port is in use`);
    throw err;
  });
  const queues = proc.workers.workers.map((w) => w.name);
  const metricsUrl = proc.metrics ? `${proc.metrics.url}/metrics` : undefined;
  // Test support and the fault suite wait for "<role> worker:" to know the worker is up.
  log.info(
    { role, queues, prefix: ctx.env.prefix, concurrency, ...(metricsUrl ? { metrics: metricsUrl } : {}) },
    `${role} worker: queues ${queues.join(', ')}, prefix ${ctx.env.prefix}, concurrency ${concurrency}, ` +
      `store ${ctx.store.describe()}${metricsUrl ? `, metrics ${metricsUrl}` : ''}`,
  );
  await new Promise<void>((resolve) => {
    closeOnSignals(
      async () => {
        await proc.close();
        await ctx.close();
        log.info({ role }, `${role} worker stopped`);
        resolve();
      },
      (line) => log.info({ role }, line),
    );
  });
  return 0;
}
