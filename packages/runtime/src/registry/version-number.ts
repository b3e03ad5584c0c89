import { keys } from '@bidfcl/contracts';
import type { RuntimeContext } from '../context.js';
import { listVersions } from './read.js';
import { RegistryError } from './registry-error.js';

const RAISE_TO = [
  "local c = tonumber(redis.call('get', KEYS[1]) or '0')",
  "if c < tonumber(ARGV[1]) then redis.call('set', KEYS[1], ARGV[1]) end",
  'return 1',
].join(' ');

/** The Redis counter of a model's versions, under the queue prefix like every other key of the cluster. */
export const versionCounterKey = (prefix: string, name: string) => `${prefix}:model-version:${name}`;

/**
 * The next version number of a model: Redis INCR, so concurrent promotes (any process, any worker) never get
 * the same number. The counter starts from the highest version in the store, and when a number it hands out
 * turns out to exist already (a new Redis, a flushed prefix), it is raised past the store's versions and asked
 * again: a version file is never overwritten. A promote that dies after taking a number leaves a gap.
 */
export async function nextVersion(ctx: Pick<RuntimeContext, 'redis' | 'store' | 'env'>, name: string): Promise<number> {
  const key = versionCounterKey(ctx.env.prefix, name);
  const highest = async () => Math.max(0, ...(await listVersions(ctx.store, name)));
  if (!(await ctx.redis.exists(key))) await ctx.redis.set(key, String(await highest()), 'NX');
  for (let attempt = 0; attempt < 5; attempt++) {
    const v = await ctx.redis.incr(key);
    if (!(await ctx.store.exists(keys.modelVersion(name, v)))) return v;
    await ctx.redis.eval(RAISE_TO, 1, key, String(await highest()));
  }
  throw new RegistryError(`could not find a free version number for model '${name}' (counter ${key})`);
}
