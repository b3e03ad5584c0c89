import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { LocalStore } from '@bidfcl/io';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRuntimeContext, type RuntimeContext } from '../context.js';
import { DEFAULT_REDIS_URL, type RuntimeEnv } from '../env.js';

/** A queue prefix no other test uses. */
export function testPrefix(name = 't'): string {
  return `bidfcl-test-${name}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every Redis key under a prefix (queues, events, locks) — what each test leaves behind. */
export async function deletePrefix(redisUrl: string | undefined, prefix: string): Promise<number> {
  const r = new Redis(redisUrl ?? DEFAULT_REDIS_URL, { maxRetriesPerRequest: 3 });
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, batch] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (batch.length) deleted += await r.del(...batch);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
  return deleted;
}

export interface TestRuntime {
  ctx: RuntimeContext;
  env: RuntimeEnv;
  storeDir: string;
  cleanup(): Promise<void>;
}

/** A runtime context on a fresh queue prefix and a fresh local store directory (or a given store URL). */
export async function createTestRuntime(name: string, overrides: Partial<RuntimeEnv> = {}): Promise<TestRuntime> {
  const storeDir = await mkdtemp(path.join(tmpdir(), `bidfcl-${name}-`));
  const env: RuntimeEnv = {
    redisUrl: process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
    prefix: testPrefix(name),
    storeUrl: storeDir,
    s3: { region: 'us-east-1' },
    tfBackend: 'wasm',
    ...overrides,
  };
  const ctx = createRuntimeContext(env);
  return {
    ctx,
    env,
    storeDir,
    async cleanup() {
      await ctx.close();
      await deletePrefix(env.redisUrl, env.prefix);
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}

export { LocalStore };
