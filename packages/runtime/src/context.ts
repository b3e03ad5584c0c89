import type { Redis } from 'ioredis';
import { createStore, type ArtefactStore } from '@bidfcl/io';
import { createRedis } from './connection.js';
import { loadRuntimeEnv, type RuntimeEnv } from './env.js';
import { Queues } from './queues.js';

/** What every handler gets: the store, a Redis connection, typed queues, and the environment they came from. */
export interface RuntimeContext {
  env: RuntimeEnv;
  store: ArtefactStore;
  redis: Redis;
  queues: Queues;
  close(): Promise<void>;
}

/** Builds a context from an explicit environment (tests) or from process.env (workers, CLI). */
export function createRuntimeContext(env: RuntimeEnv = loadRuntimeEnv()): RuntimeContext {
  const store = createStore(env.storeUrl, env.s3);
  const redis = createRedis(env.redisUrl, 'worker', env.redisCaFile);
  const queues = new Queues(redis, env.prefix, env.maxPayloadBytes);
  let closed = false;
  return {
    env,
    store,
    redis,
    queues,
    async close() {
      if (closed) return;
      closed = true;
      await queues.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
