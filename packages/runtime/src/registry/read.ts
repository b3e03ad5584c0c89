import {
  SAFE_ID,
  keys,
  modelPointerSchema,
  modelVersionSchema,
  type ModelPointer,
  type ModelVersion,
} from '@bidfcl/contracts';
import { NotFoundError, type ArtefactStore } from '@bidfcl/io';
import { RegistryError } from './registry-error.js';

/** Throws a usage RegistryError unless `name` is a valid model name ([a-z0-9._-], as run ids). */
export function assertModelName(name: string): string {
  if (!SAFE_ID.test(name) || name.includes('..'))
    throw new RegistryError(
      `invalid model name '${name}': use 1-128 characters of [a-z0-9._-], starting with a letter or digit`,
      true,
    );
  return name;
}

/** `<model>` or `<model>@<version>` (version an integer ≥ 1). */
export function parseModelRef(ref: string): { name: string; version?: number } {
  const at = ref.lastIndexOf('@');
  if (at < 0) return { name: assertModelName(ref) };
  const name = assertModelName(ref.slice(0, at));
  const v = ref.slice(at + 1);
  if (!/^[1-9]\d*$/.test(v))
    throw new RegistryError(`invalid version '${v}' in '${ref}': write <model>@<n> with n = 1, 2, …`, true);
  return { name, version: Number(v) };
}

/** Every model name in the store, sorted. */
export async function listModels(store: ArtefactStore): Promise<string[]> {
  return store.listDirs(keys.modelsPrefix());
}

/** A model's version numbers in ascending order (none: the model does not exist). */
export async function listVersions(store: ArtefactStore, name: string): Promise<number[]> {
  const found = await store.list(keys.modelVersionsPrefix(assertModelName(name)));
  return found
    .map((k) => keys.modelVersionOf(name, k))
    .filter((v): v is number => v !== undefined)
    .sort((a, b) => a - b);
}

/** The model's pointer, or undefined before its first promotion completed. */
export async function readPointer(store: ArtefactStore, name: string): Promise<ModelPointer | undefined> {
  try {
    return modelPointerSchema.parse(await store.getJson(keys.modelCurrent(assertModelName(name))));
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

/** The error for a model the store does not hold, naming the models it does. */
export async function unknownModel(store: ArtefactStore, name: string): Promise<RegistryError> {
  const models = await listModels(store);
  const known = models.length ? `models: ${models.join(', ')}` : 'no model has been promoted yet';
  return new RegistryError(`model '${name}' not found in ${store.describe(keys.modelsPrefix())} (${known})`);
}

/** One version's record; a RegistryError naming the versions there are when it does not exist. */
export async function readVersion(store: ArtefactStore, name: string, version: number): Promise<ModelVersion> {
  try {
    return modelVersionSchema.parse(await store.getJson(keys.modelVersion(assertModelName(name), version)));
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    const versions = await listVersions(store, name);
    if (versions.length === 0) throw await unknownModel(store, name);
    throw new RegistryError(`model '${name}' has no version ${version} (versions: ${versions.join(', ')})`);
  }
}

/** The current version's record, or undefined when the model has none (never promoted). */
export async function readCurrentVersion(store: ArtefactStore, name: string): Promise<ModelVersion | undefined> {
  const pointer = await readPointer(store, name);
  return pointer ? readVersion(store, name, pointer.version) : undefined;
}

/**
 * What `<model>[@<version>]` names: that version, or the current one. The pointer is read before the version
 * it names, and versions are written before any pointer names them, so this never finds a dangling pointer.
 */
export async function resolveModel(
  store: ArtefactStore,
  ref: string,
): Promise<{ version: ModelVersion; pointer: ModelPointer | undefined }> {
  const { name, version } = parseModelRef(ref);
  const pointer = await readPointer(store, name);
  if (version !== undefined) return { version: await readVersion(store, name, version), pointer };
  if (!pointer) {
    const versions = await listVersions(store, name);
    if (versions.length === 0) throw await unknownModel(store, name);
    throw new RegistryError(`model '${name}' has no current version yet (versions: ${versions.join(', ')})`);
  }
  return { version: await readVersion(store, name, pointer.version), pointer };
}
