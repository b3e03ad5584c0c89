import { Redis } from 'ioredis';
import { DEFAULT_REDIS_URL } from './env.js';

/**
 * A Redis connection for BullMQ. Workers and QueueEvents block on Redis, so retries per request must be
 * unlimited (`maxRetriesPerRequest: null`); producers fail fast instead so that a CLI without Redis says so.
 */
export function createRedis(url: string | undefined, purpose: 'worker' | 'producer' = 'worker'): Redis {
  const redis = new Redis(url ?? DEFAULT_REDIS_URL, {
    maxRetriesPerRequest: purpose === 'worker' ? null : 3,
    enableOfflineQueue: true,
    lazyConnect: false,
  });
  return quietRedisErrors(redis, 'connection');
}

/**
 * Says once that Redis went away and once that it is back, instead of ioredis's "Unhandled error event" stack
 * trace on every reconnection attempt (issue 13, item 3). ioredis reconnects by itself; BullMQ's workers and
 * queue events resume once it has.
 */
export function quietRedisErrors<T extends Redis>(redis: T, what: string): T {
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    process.stderr.write(`[bidfcl] Redis ${what}: ${err.message}; reconnecting\n`);
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    process.stderr.write(`[bidfcl] Redis ${what}: reconnected\n`);
  });
  return redis;
}

/** Resolves when Redis answers PING, rejects with a helpful message after `timeoutMs`. */
export async function pingRedis(url: string | undefined, timeoutMs = 2000): Promise<void> {
  const r = new Redis(url ?? DEFAULT_REDIS_URL, {
    maxRetriesPerRequest: 0,
    lazyConnect: true,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
  });
  r.on('error', () => undefined);
  try {
    await r.connect();
    await r.ping();
  } catch (err) {
    throw new Error(
      `no Redis answers at ${url ?? DEFAULT_REDIS_URL} (${(err as Error).message}). ` +
        "Start one: 'docker compose up -d redis', or install your distribution's redis-server package, " +
        'or set REDIS_URL.',
      { cause: err },
    );
  } finally {
    r.disconnect();
  }
}
