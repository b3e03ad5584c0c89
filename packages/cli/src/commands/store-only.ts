import { createStore } from '@bidfcl/io';
import type { RuntimeEnv } from '@bidfcl/runtime';

/** Commands that only read artefacts (status, report) need no Redis. */
export function createRuntimeContextForStore(env: RuntimeEnv) {
  return { env, store: createStore(env.storeUrl, env.s3) };
}
