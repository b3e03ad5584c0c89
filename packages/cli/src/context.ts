import { createRuntimeContext, loadRuntimeEnv, pingRedis, type RuntimeContext, type RuntimeEnv } from '@bidfcl/runtime';

/** The runtime environment from process.env (the CLI and runtime are the only readers of process.env). */
export function cliEnv(overrides: Partial<RuntimeEnv> = {}): RuntimeEnv {
  return { ...loadRuntimeEnv(process.env), ...overrides };
}

/** A runtime context after checking that Redis answers, so that a missing Redis is one clear message. */
export async function connect(env: RuntimeEnv = cliEnv()): Promise<RuntimeContext> {
  await pingRedis(env.redisUrl, undefined, env.redisCaFile);
  return createRuntimeContext(env);
}
