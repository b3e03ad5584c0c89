import { randomBytes } from 'node:crypto';
import { LocalStore } from '@bidfcl/io';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRedis } from '../connection.js';
import { createRuntimeContext, type RuntimeContext } from '../context.js';
import { DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_REDIS_URL, type RuntimeEnv } from '../env.js';

/** A queue prefix no other test uses. */
export function testPrefix(name = 't'): string {
  return `bidfcl-test-${name}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every Redis key under a prefix (queues, events, locks) — what each test leaves behind. */
export async function deletePrefix(redisUrl: string | undefined, prefix: string, caFile?: string): Promise<number> {
  const r = createRedis(redisUrl, 'producer', caFile);
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
    inputs: {},
    maxPayloadBytes: DEFAULT_MAX_PAYLOAD_BYTES,
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
      await deletePrefix(env.redisUrl, env.prefix, env.redisCaFile);
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}

export { LocalStore };
