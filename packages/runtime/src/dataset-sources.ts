import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { SPLITS, keys, type DatasetSpec } from '@bidfcl/contracts';
import { allowedLocalPath, createStore, InputRefusedError, type ArtefactStore } from '@bidfcl/io';
import type { RuntimeEnv } from './env.js';
import { ConfigurationError } from './errors.js';

const TABLE = /\.(parquet|csv)$/i;

/** Newest version folder under datasets/<name>/ (lexicographic on the version id: use sortable versions). */
async function latestVersion(store: ArtefactStore, name: string): Promise<string> {
  const prefix = keys.datasetVersionsPrefix(name);
  const listed = await store.list(prefix);
  const below = listed.map((k) => k.slice(prefix.length).split('/')[0]);
  const versions = [...new Set(below.filter((v): v is string => !!v))].sort();
  const v = versions.at(-1);
  if (!v) throw new Error(`dataset '${name}' has no versions in ${store.describe(prefix)}`);
  return v;
}

/**
 * Expands one source: `@latest` in a store key becomes the newest dataset version, and a source ending in '/'
 * (a folder or key prefix) becomes every .parquet/.csv under it, sorted. Files stay as they are.
 */
async function expandSource(uri: string, store: ArtefactStore, env: RuntimeEnv): Promise<string[]> {
  if (uri.startsWith('store:')) {
    let key = uri.slice('store:'.length);
    const latest = keys.latestDatasetName(key);
    if (latest !== undefined) key = keys.withDatasetVersion(key, await latestVersion(store, latest));
    if (!key.endsWith('/')) return [`store:${key}`];
    return (await store.list(key)).filter((k) => TABLE.test(k)).map((k) => `store:${k}`);
  }
  if (uri.startsWith('s3://')) {
    if (!uri.endsWith('/')) return [uri];
    const [bucket, ...rest] = uri.slice(5).split('/');
    const prefix = rest.join('/');
    const s3 = createStore(`s3://${bucket}`, env.s3);
    return (await s3.list(prefix)).filter((k) => TABLE.test(k)).map((k) => `s3://${bucket}/${k}`);
  }
  const named = uri.startsWith('file://') ? new URL(uri).pathname : uri;
  // Listing a folder outside the roots would tell which files exist there: refused like reading one.
  await allowedLocalPath(path.resolve(named), env.inputs).catch((err: unknown) => {
    throw err instanceof InputRefusedError ? new ConfigurationError(err.message) : err;
  });
  const local = named;
  if (
    !local.endsWith('/') &&
    !(await stat(local)
      .then((s) => s.isDirectory())
      .catch(() => false))
  )
    return [local];
  const names = (await readdir(local)).filter((n) => TABLE.test(n)).sort();
  return names.map((n) => path.join(local, n));
}

/**
 * The tables one source names (a file, or every .parquet/.csv under a folder, s3:// or store: prefix ending in
 * '/'), sorted; e.g. a users table for `bidfcl allocate`.
 */
export const expandTableSource = expandSource;

/** Resolves every split's sources to concrete files, so that a run records exactly what it read. */
export async function resolveDatasetSources(
  spec: DatasetSpec,
  store: ArtefactStore,
  env: RuntimeEnv,
): Promise<DatasetSpec> {
  const splits = { ...spec.splits };
  for (const split of SPLITS) {
    const expanded = (await Promise.all(splits[split].map((u) => expandSource(u, store, env)))).flat();
    if (splits[split].length > 0 && expanded.length === 0)
      throw new ConfigurationError(
        `dataset '${spec.name}' split '${split}': no .parquet or .csv files under ${splits[split].join(', ')}`,
      );
    splits[split] = expanded;
  }
  return { ...spec, splits };
}
