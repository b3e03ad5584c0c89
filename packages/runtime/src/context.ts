import type { Redis } from 'ioredis';
import { createStore, describeStoreRetry, type ArtefactStore, type StoreRetryNotice } from '@bidfcl/io';
import { createRedis } from './connection.js';
import { loadRuntimeEnv, storeRetryPolicy, type RuntimeEnv } from './env.js';
import { jobScope } from './job-scope.js';
import { notice } from './observe/notices.js';
import { Queues } from './queues.js';
import { publishRunEvent, runNoticeKey } from './run-events.js';

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
  // A store outage is waited out; each retry is said on stderr (a worker's log) and, inside a job, on its run's
  // channel (what `run --wait` prints) and under a short-lived key (what `bidfcl status` prints).
  const onRetry = (n: StoreRetryNotice) => {
    const message = describeStoreRetry(n);
    const scope = jobScope.getStore();
    notice(`${scope ? `${scope.runId} ${scope.stage}: ` : ''}${message}`, scope ? { ...scope } : {});
    if (!scope) return;
    const ttl = Math.ceil(n.delayMs / 1000) + 60;
    void Promise.all([
      publishRunEvent(redis, env.prefix, scope.runId, { type: 'waiting', stage: scope.stage, message }),
      redis.set(runNoticeKey(env.prefix, scope.runId), `${scope.stage}: ${message}`, 'EX', ttl),
    ]).catch(() => undefined);
  };
  const store = createStore(env.storeUrl, env.s3, { policy: storeRetryPolicy(env), onRetry });
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
