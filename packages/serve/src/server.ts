import { createStore } from '@bidfcl/io';
import { createRedis, DEFAULT_REDIS_URL, redactUrl, type RuntimeEnv } from '@bidfcl/runtime';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from './app.js';
import { Catalog } from './catalog.js';
import { createMetrics } from './metrics.js';
import { PacingStore } from './pacing-store.js';

export interface ServeOptions extends Partial<AppOptions> {
  env: RuntimeEnv;
  host?: string;
  port?: number;
  /** How often each replica reads the current-allocation pointers. */
  pollMs?: number;
  /** Serve only these models (default: every model in the store, found at each poll). */
  models?: string[];
}

export interface RunningService {
  app: FastifyInstance;
  url: string;
  catalog: Catalog;
  close(): Promise<void>;
}

export const SERVE_DEFAULTS = { host: '127.0.0.1', port: 8080, pollMs: 2000, bodyLimit: 16 * 1024 };

/**
 * Starts one replica: a Redis connection that fails fast while Redis is away (503s, not queued requests) and
 * reconnects on its own, the catalog's first poll, then the HTTP listener.
 */
export async function startServe(o: ServeOptions): Promise<RunningService> {
  const redis = createRedis(o.env.redisUrl, 'service', o.env.redisCaFile);
  const store = createStore(o.env.storeUrl, o.env.s3);
  const catalog = new Catalog(store, o.env.tfBackend, o.models);
  const metrics = createMetrics();
  const pacing = new PacingStore(redis, o.env.prefix);
  // A connection of its own for the change notices that keep this replica's copy of the pacing state valid.
  const changes = createRedis(o.env.redisUrl, 'service', o.env.redisCaFile);
  changes.on('error', () => undefined); // said once by the main connection's handlers below
  pacing.onRead = (source) => metrics.pacingReads.inc({ source });
  await pacing.followChanges(changes);
  const app = buildApp(
    { catalog, pacing, redis, metrics },
    {
      bodyLimit: o.bodyLimit ?? SERVE_DEFAULTS.bodyLimit,
      logLevel: o.logLevel ?? 'info',
      logRequests: o.logRequests ?? false,
      ...(o.logStream ? { logStream: o.logStream } : {}),
    },
  );
  catalog.log = app.log;
  // Only the state changes are logged, and the address only redacted (the URL may carry a password).
  const where = redactUrl(o.env.redisUrl ?? DEFAULT_REDIS_URL);
  let redisWasUp = false;
  redis.on('ready', () => {
    redisWasUp = true;
    app.log.info(`redis: connected to ${where}`);
  });
  // Whichever comes first says it once: 'close' whenever the connection goes, 'error' when a command or a
  // reconnect fails (a quiet service may see no error before Redis is back: the test found the line missing).
  const lost = () => {
    if (redisWasUp) app.log.warn('redis: connection lost, retrying');
    redisWasUp = false;
  };
  redis.on('close', lost);
  redis.on('error', lost);
  catalog.onSwap = (s) => {
    metrics.version.reset();
    for (const x of catalog.all())
      metrics.version.set({ model: x.model, allocation: x.allocationId }, x.version.version);
    metrics.users.set({ model: s.model }, s.index.size);
    metrics.lambda.set({ model: s.model, kind: 'allocation' }, s.lambdaStar);
  };
  await catalog.start(o.pollMs ?? SERVE_DEFAULTS.pollMs);
  const url = await app.listen({ host: o.host ?? SERVE_DEFAULTS.host, port: o.port ?? SERVE_DEFAULTS.port });
  return {
    app,
    url,
    catalog,
    async close() {
      // Requests in flight finish first: stopping the catalog frees the networks' tensors.
      await app.close();
      await catalog.stop();
      changes.disconnect();
      redis.disconnect();
    },
  };
}
