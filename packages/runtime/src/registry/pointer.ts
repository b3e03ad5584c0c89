import { keys, type ModelPointer, type ModelVersion } from '@bidfcl/contracts';
import type { RuntimeContext } from '../context.js';
import { withLock } from '../lock.js';
import { listVersions, readPointer, readVersion, unknownModel } from './read.js';
import { RegistryError } from './registry-error.js';

type By = ModelVersion['promotedBy'];
type Ctx = Pick<RuntimeContext, 'redis' | 'store' | 'env'>;

/**
 * Replaces a model's pointer under a per-model Redis lock, so that two moves never interleave their
 * read-modify-write of the history. The pointer is one object written whole (a rename on a local store, one PUT
 * on S3): a reader sees the old pointer or the new one.
 */
async function movePointer(
  ctx: Ctx,
  name: string,
  move: (old: ModelPointer | undefined) => Promise<ModelPointer>,
): Promise<ModelPointer> {
  return withLock(ctx.redis, `${ctx.env.prefix}:model-lock:${name}`, async () => {
    const next = await move(await readPointer(ctx.store, name));
    await ctx.store.putJson(keys.modelCurrent(name), next);
    return next;
  });
}

/** Makes `version` (already written) the current one; the version it replaces goes onto the rollback stack. */
export function setCurrent(ctx: Ctx, name: string, version: number, by: By): Promise<ModelPointer> {
  return movePointer(ctx, name, async (old) => {
    const at = new Date().toISOString();
    return {
      model: name,
      version,
      updatedAt: at,
      previous: old ? [...old.previous, old.version] : [],
      moves: [...(old?.moves ?? []), { at, action: 'promote', ...(old ? { from: old.version } : {}), to: version, by }],
    };
  });
}

/**
 * Moves the pointer back to the version that was current before the current one; again walks further back.
 * A RegistryError when there is nothing to go back to.
 */
export function rollbackModel(ctx: Ctx, name: string, by: By): Promise<ModelPointer> {
  return movePointer(ctx, name, async (old) => {
    if (!old) {
      if ((await listVersions(ctx.store, name)).length === 0) throw await unknownModel(ctx.store, name);
      throw new RegistryError(`model '${name}' has no current version to roll back from`);
    }
    const to = old.previous.at(-1);
    if (to === undefined)
      throw new RegistryError(
        `model '${name}' has no earlier version to roll back to: version ${old.version} is current and ` +
          'no version was current before it (every earlier move has been rolled back)',
      );
    await readVersion(ctx.store, name, to);
    const at = new Date().toISOString();
    return {
      model: name,
      version: to,
      updatedAt: at,
      previous: old.previous.slice(0, -1),
      moves: [...old.moves, { at, action: 'rollback', from: old.version, to, by }],
    };
  });
}
