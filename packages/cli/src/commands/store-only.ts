import { createStore, describeStoreRetry } from '@bidfcl/io';
import { storeRetryPolicy, type RuntimeEnv } from '@bidfcl/runtime';

/**
 * Commands that only read artefacts (status, report) need no Redis. During an S3 outage they wait like the
 * workers do, and say so on stderr ("waiting for S3 at …, retry 4 in 16 s").
 */
export function createRuntimeContextForStore(env: RuntimeEnv) {
  const onRetry = (n: Parameters<typeof describeStoreRetry>[0]) => console.error(`bidfcl: ${describeStoreRetry(n)}`);
  return { env, store: createStore(env.storeUrl, env.s3, { policy: storeRetryPolicy(env), onRetry }) };
}
