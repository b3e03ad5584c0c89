import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { pingRedis } from './connection.js';
import { DEFAULT_REDIS_URL } from './env.js';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface RedisHandle {
  url: string;
  /** How the Redis was found: given, the default port, or started for this process. */
  origin: 'env' | 'default' | 'spawned';
  stop(): Promise<void>;
}

/**
 * The demo's Redis: REDIS_URL if set, else 127.0.0.1:6379, else a `redis-server` from PATH on a free port that
 * lives as long as this process. Throws with instructions when none can be had.
 */
export async function findOrStartRedis(envUrl: string | undefined, caFile?: string): Promise<RedisHandle> {
  if (envUrl) {
    await pingRedis(envUrl, undefined, caFile);
    return { url: envUrl, origin: 'env', stop: async () => undefined };
  }
  try {
    await pingRedis(DEFAULT_REDIS_URL, 1000);
    return { url: DEFAULT_REDIS_URL, origin: 'default', stop: async () => undefined };
  } catch {
    /* fall through: try to start one */
  }
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  const url = `redis://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      try {
        await Promise.race([pingRedis(url, 500), spawnError]);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT' || i >= 40) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (err) {
    child.kill();
    throw new Error(
      `no Redis answers at ${DEFAULT_REDIS_URL} and none could be started (${(err as Error).message}).\n` +
        `Get one with 'docker compose up -d redis', or install your distribution's redis-server package ` +
        `(Debian/Ubuntu: apt-get install redis-server), or set REDIS_URL.`,
      { cause: err },
    );
  }
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.once('exit', () => child.kill());
  return {
    url,
    origin: 'spawned',
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
