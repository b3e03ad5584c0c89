import { readFileSync } from 'node:fs';
import { Redis, type RedisOptions } from 'ioredis';
import { DEFAULT_REDIS_URL } from './env.js';
import { notice } from './observe/notices.js';

/** The URL with its password (and user name) replaced by ***, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password && !u.username) return url;
    if (u.password) u.password = '***';
    if (u.username) u.username = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/**
 * TLS settings for a rediss:// URL: the CA file given (a private CA), else Node's trust store (which
 * NODE_EXTRA_CA_CERTS extends). A redis:// URL gets none.
 */
export function tlsOptions(url: string, caFile: string | undefined): Pick<RedisOptions, 'tls'> {
  if (!url.startsWith('rediss://') || !caFile) return {};
  return { tls: { ca: readFileSync(caFile) } };
}

/**
 * A Redis connection for BullMQ. Workers and QueueEvents block on Redis, so retries per request must be
 * unlimited (`maxRetriesPerRequest: null`); producers fail fast instead so that a CLI without Redis says so.
 * A `service` (the decisions service) fails every command at once while Redis is away, so that a request gets
 * a 503 instead of waiting in a queue, and keeps reconnecting in the background (issue 10 §3).
 */
export function createRedis(
  url: string | undefined,
  purpose: 'worker' | 'producer' | 'service' = 'worker',
  caFile?: string,
): Redis {
  const target = url ?? DEFAULT_REDIS_URL;
  if (purpose === 'service')
    return new Redis(target, {
      ...tlsOptions(target, caFile),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times) => Math.min(100 * times, 1000),
      connectTimeout: 2000,
    });
  const redis = new Redis(target, {
    ...tlsOptions(target, caFile),
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
    notice(`Redis ${what}: ${err.message}; reconnecting`);
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    notice(`Redis ${what}: reconnected`, {}, 'info');
  });
  return redis;
}

/** Resolves when Redis answers PING, rejects with a helpful message after `timeoutMs`. */
export async function pingRedis(url: string | undefined, timeoutMs = 2000, caFile?: string): Promise<void> {
  const target = url ?? DEFAULT_REDIS_URL;
  const r = new Redis(target, {
    ...tlsOptions(target, caFile),
    maxRetriesPerRequest: 0,
    lazyConnect: true,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
  });
  // The connection's own error (refused, TLS, authentication) says more than the "Connection is closed" that
  // connect() rejects with once the retry strategy gives up.
  let cause: Error | undefined;
  r.on('error', (err: Error) => {
    cause ??= err;
  });
  try {
    await r.connect();
    await r.ping();
  } catch (err) {
    const why = (cause ?? (err as Error)).message;
    throw new Error(`no Redis answers at ${redactUrl(target)} (${why}). ${pingAdvice(why)}`, { cause: err });
  } finally {
    r.disconnect();
  }
}

/** What to do about a failed ping, from the connection's error. */
function pingAdvice(why: string): string {
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(why))
    return 'Check the password in REDIS_URL (redis://:<password>@host:port).';
  if (/certificate|self.signed|SSL|TLS/i.test(why))
    return (
      "The server's TLS certificate is not trusted: set BIDFCL_REDIS_CA_FILE to the PEM of the CA that signed " +
      'it (or NODE_EXTRA_CA_CERTS).'
    );
  return (
    "Start one: 'docker compose up -d redis', or install your distribution's redis-server package, " +
    'or set REDIS_URL.'
  );
}
