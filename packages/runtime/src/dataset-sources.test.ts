import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { datasetSpecSchema } from '@bidfcl/contracts';
import { LocalStore } from '@bidfcl/io';
import { tempDir } from '@bidfcl/io/testing';
import { resolveDatasetSources } from './dataset-sources.js';
import { ConfigurationError } from './errors.js';
import type { RuntimeEnv } from './env.js';

const env: RuntimeEnv = {
  redisUrl: undefined,
  prefix: 'x',
  storeUrl: '.',
  s3: { region: 'us-east-1' },
  inputs: {},
  maxPayloadBytes: 65536,
  tfBackend: 'wasm',
};
const spec = (splits: Record<string, string[]>) =>
  datasetSpecSchema.parse({
    name: 'shop',
    splits,
    columns: { arm: 'a', revenue: 'r', cost: 'c', features: ['x'] },
    arms: [{ name: 'p' }, { name: 'q' }],
  });

describe('dataset sources', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let store: LocalStore;
  beforeAll(async () => {
    dir = await tempDir('sources');
    store = new LocalStore(path.join(dir.path, 'store'));
    for (const v of ['2026-11-01', '2026-11-27', '2026-11-15']) {
      for (const p of ['part-00001.parquet', 'part-00000.parquet']) await store.put(`datasets/shop/${v}/rct/${p}`, 'x');
      await store.put(`datasets/shop/${v}/rct/notes.txt`, 'not a table');
    }
    await mkdir(path.join(dir.path, 'local'), { recursive: true });
    for (const f of ['b.csv', 'a.parquet', 'readme.md']) await writeFile(path.join(dir.path, 'local', f), 'x');
  });
  afterAll(async () => {
    await dir.cleanup();
  });

  test('@latest picks the newest version; a trailing / means every table under it, sorted', async () => {
    const out = await resolveDatasetSources(
      spec({
        rct: ['store:datasets/shop/@latest/rct/'],
        obs: [`${path.join(dir.path, 'local')}/`],
        test: ['store:datasets/shop/2026-11-01/rct/part-00000.parquet'],
      }),
      store,
      env,
    );
    expect(out.splits.rct).toEqual([
      'store:datasets/shop/2026-11-27/rct/part-00000.parquet',
      'store:datasets/shop/2026-11-27/rct/part-00001.parquet',
    ]);
    expect(out.splits.obs).toEqual([path.join(dir.path, 'local', 'a.parquet'), path.join(dir.path, 'local', 'b.csv')]);
    expect(out.splits.test).toEqual(['store:datasets/shop/2026-11-01/rct/part-00000.parquet']);
    expect(out.splits.val).toEqual([]);
  });

  test('a prefix with no tables, or a dataset with no versions, is an error that names it', async () => {
    await expect(
      resolveDatasetSources(spec({ rct: ['store:datasets/shop/2026-11-01/obs/'] }), store, env),
    ).rejects.toThrow(/split 'rct': no \.parquet or \.csv files under store:datasets\/shop\/2026-11-01\/obs\//);
    await expect(
      resolveDatasetSources(spec({ rct: ['store:datasets/other/@latest/rct/'] }), store, env),
    ).rejects.toThrow(/dataset 'other' has no versions/);
  });

  test('with BIDFCL_LOCAL_ROOTS, a folder outside them is a configuration error and is not listed', async () => {
    const rooted = { ...env, inputs: { localRoots: [path.join(dir.path, 'local')] } };
    const inside = await resolveDatasetSources(spec({ rct: [`${path.join(dir.path, 'local')}/`] }), store, rooted);
    expect(inside.splits.rct).toHaveLength(2);
    const err = await resolveDatasetSources(spec({ rct: [`${dir.path}/`] }), store, rooted).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as Error).message).toMatch(/outside the directories this worker may read/);
  });
});
