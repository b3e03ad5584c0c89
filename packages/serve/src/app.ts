import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import { baseLoggerOptions, logDestination } from '@bidfcl/runtime';
import { HttpError, redisDown, type ServeDeps } from './deps.js';
import { decisionRoutes } from './routes/decisions.js';
import { opsRoutes } from './routes/ops.js';
import { pacingRoutes } from './routes/pacing.js';
import { spendRoutes } from './routes/spend.js';

export interface AppOptions {
  /** Largest request body accepted, bytes (413 beyond). */
  bodyLimit: number;
  logLevel: string;
  /** Log every request (off by default: at thousands of requests per second logging costs more than answering). */
  logRequests: boolean;
  /** Where pino writes (tests capture it). */
  logStream?: NodeJS.WritableStream;
}

const isRedisError = (err: Error) =>
  /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|MaxRetriesPerRequest|enableOfflineQueue/.test(
    err.message,
  );

/** The Fastify app with every route; `deps` are built by startServe (or a test). */
export function buildApp(deps: Omit<ServeDeps, 'log'>, opts: AppOptions): FastifyInstance {
  const app = Fastify({
    bodyLimit: opts.bodyLimit,
    logController: new LogController({ disableRequestLogging: !opts.logRequests }),
    logger: {
      // The workers' base fields and time format, and their readable lines on a terminal (runtime's logger).
      ...baseLoggerOptions('serve', opts.logLevel),
      // Credentials never reach the log: headers that carry them are redacted.
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'],
      stream: logDestination(opts.logStream ? { stream: opts.logStream } : {}),
    },
    ajv: { customOptions: { allErrors: false, coerceTypes: false } },
  });
  const full: ServeDeps = { ...deps, log: app.log };
  app.addHook('onResponse', async (req, reply) => {
    const labels = { route: req.routeOptions.url ?? 'unmatched', method: req.method, status: String(reply.statusCode) };
    full.metrics.requests.inc(labels);
    full.metrics.latency.observe(labels, reply.elapsedTime / 1000);
  });
  app.setErrorHandler((err: FastifyError | HttpError | Error, req, reply) => {
    if (err instanceof HttpError) return reply.code(err.statusCode).send({ error: err.code, message: err.message });
    const fe = err as FastifyError;
    if (fe.validation) return reply.code(400).send({ error: 'bad_request', message: fe.message });
    if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (fe.statusCode === 400 && /JSON/i.test(fe.message)))
      return reply.code(400).send({ error: 'malformed_json', message: 'the body is not valid JSON' });
    if (fe.statusCode === 413)
      return reply.code(413).send({ error: 'payload_too_large', message: `the body exceeds ${opts.bodyLimit} bytes` });
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)
      return reply.code(fe.statusCode).send({ error: 'bad_request', message: fe.message });
    if (isRedisError(err)) {
      const e = redisDown();
      return reply.code(503).send({ error: e.code, message: e.message });
    }
    // The message may hold internals; the client gets the request id to quote, the log gets the message.
    req.log.error({ err: { message: err.message, name: err.name } }, 'request failed');
    return reply.code(500).send({ error: 'internal', message: `internal error (request ${req.id})` });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` }),
  );
  opsRoutes(app, full);
  decisionRoutes(app, full);
  spendRoutes(app, full);
  pacingRoutes(app, full);
  return app;
}
