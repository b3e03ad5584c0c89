import { RegistryError, closeOnSignals, parseModelRef } from '@bidfcl/runtime';
import { SERVE_DEFAULTS, startServe } from '@bidfcl/serve';
import { intOption, parse, printed } from '../args.js';
import { usageError } from '../cli-error.js';
import { cliEnv } from '../context.js';
import { logLevelOrUsage } from '../log-level.js';

export const serveHelp = `bidfcl serve [--host 127.0.0.1] [--port 8080] [--models a,b] [--poll-ms 2000]
             [--body-limit 16384] [--log-level info] [--log-requests]
  The decisions service (README, Serving): GET /v1/decisions/:userId?model=, POST /v1/decide, POST /v1/spend,
  PUT|GET /v1/pacing/:model, /healthz, /readyz, /metrics. Serves each model's current allocation
  (models/<name>/current-allocation.json, published by bidfcl allocate) and switches to a new one within
  --poll-ms plus its load time. Run as many replicas as you like: the budget state is in Redis.
  --log-level defaults to BIDFCL_LOG_LEVEL, else info; logs are JSON unless stdout is a terminal.`;

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    host: { type: 'string' },
    port: { type: 'string' },
    models: { type: 'string' },
    'poll-ms': { type: 'string' },
    'body-limit': { type: 'string' },
    'log-level': { type: 'string' },
    'log-requests': { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (values.help) return printed(serveHelp);
  let models: string[] | undefined;
  try {
    models = values.models?.split(',').map((m) => parseModelRef(m.trim()).name);
  } catch (err) {
    if (err instanceof RegistryError) throw usageError(`--models: ${err.message}`);
    throw err;
  }
  const service = await startServe({
    env: cliEnv(),
    host: values.host ?? SERVE_DEFAULTS.host,
    port: intOption(values.port, 'port', SERVE_DEFAULTS.port, 0),
    pollMs: intOption(values['poll-ms'], 'poll-ms', SERVE_DEFAULTS.pollMs, 50),
    bodyLimit: intOption(values['body-limit'], 'body-limit', SERVE_DEFAULTS.bodyLimit, 256),
    logLevel: values['log-level'] ?? logLevelOrUsage(),
    logRequests: values['log-requests'] ?? false,
    ...(models ? { models } : {}),
  });
  // One line for people and scripts (bench, tests) to find the address.
  process.stdout.write(`bidfcl serve: listening on ${service.url}\n`);
  await new Promise<void>((resolve) => closeOnSignals(async () => resolve(await service.close())));
  return 0;
}
