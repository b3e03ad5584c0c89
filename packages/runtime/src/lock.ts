import type { Redis } from 'ioredis';

const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * Runs `fn` while holding a Redis lock (SET NX with an expiry, so a holder that dies frees it). Waits for the
 * lock up to `waitMs`, then fails rather than going ahead unlocked: callers guard read-modify-write cycles
 * whose lost updates would go unnoticed. Releases only its own lock.
 */
export async function withLock<T>(
  redis: Redis,
  key: string,
  fn: () => Promise<T>,
  { ttlMs = 30_000, waitMs = 20_000 }: { ttlMs?: number; waitMs?: number } = {},
): Promise<T> {
  const token = `${process.pid}.${Math.random()}`;
  const deadline = Date.now() + waitMs;
  while (!(await redis.set(key, token, 'PX', ttlMs, 'NX'))) {
    if (Date.now() > deadline) throw new Error(`could not take the lock '${key}' within ${waitMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
  try {
    return await fn();
  } finally {
    await redis.eval(RELEASE, 1, key, token);
  }
}
