import path from 'node:path';
import { datasetSpecSchema, type Split } from '@bidfcl/contracts';
import { LocalStore, parseCsv, readParquet, validateRawTable, type RawTable } from '@bidfcl/io';
import { tempDir } from '@bidfcl/io/testing';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LBCF_ARM_COSTS, LBCF_FILES, materializeBuiltinDataset, type MaterializedDataset } from './index.js';
import { sharedData } from './testing.js';

const data = sharedData(LBCF_FILES.train);

describe('lbcf-rct from the real files', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let store: LocalStore;
  let built: MaterializedDataset;
  const tables: Partial<Record<Split, RawTable>> = {};
  let train: RawTable;
  let test_: RawTable;

  beforeAll(async () => {
    if (!data.present) return;
    tmp = await tempDir('lbcf');
    store = new LocalStore(tmp.path);
    built = await materializeBuiltinDataset('lbcf-rct', { dataDir: data.dataDir, store, seed: 0 });
    for (const split of ['rct', 'val', 'test'] as const)
      tables[split] = readParquet(await store.get(built.spec.splits[split]![0]!.slice('store:'.length)));
    train = await parseCsv(await readFile(path.join(data.dataDir, LBCF_FILES.train), 'utf8'));
    test_ = await parseCsv(await readFile(path.join(data.dataDir, LBCF_FILES.test), 'utf8'));
  });
  afterAll(async () => tmp?.cleanup());

  test.skipIf(!data.present)('rct + val = the training file (val 20 %), test = the test file, no obs', () => {
    expect(built.spec.splits.obs ?? []).toEqual([]);
    expect(tables.rct!.numRows).toBe(1600);
    expect(tables.val!.numRows).toBe(400);
    expect(tables.test!.numRows).toBe(2000);
    const ids = (s: Split) => tables[s]!.columns.get('user_id')!.values as string[];
    const trainIds = [...ids('rct'), ...ids('val')].sort();
    expect(trainIds).toEqual(Array.from({ length: 2000 }, (_, i) => `train-${i + 1}`).sort());
    expect(ids('test')).toEqual(Array.from({ length: 2000 }, (_, i) => `test-${i + 1}`));
  });

  test.skipIf(!data.present)(
    "arms from exp_group, cost = the arm's coin value, revenue = the label, row for row",
    () => {
      const spec = datasetSpecSchema.parse(built.spec);
      expect(spec.arms.map((a) => a.value)).toEqual([0.1, 0.4, 0.6, 0.8, 1.1, 1.4, 1.7, 2.0]);
      expect(spec.arms.every((a) => !a.zeroCost)).toBe(true);
      expect(spec.columns).toMatchObject({
        arm: 'arm',
        revenue: 'label',
        cost: 'cost',
        features: Array.from({ length: 14 }, (_, k) => `c${k}`),
      });
      let mismatches = 0;
      for (const [split, src] of [
        ['rct', train],
        ['val', train],
        ['test', test_],
      ] as const) {
        const t = tables[split]!;
        const v = validateRawTable(t, spec, { file: split, split });
        const ids = t.columns.get('user_id')!.values as string[];
        const group = src.columns.get('exp_group')!.values as Float64Array;
        const label = src.columns.get('label')!.values as Float64Array;
        const c5 = src.columns.get('c5')!.values as Float64Array;
        for (let i = 0; i < v.n; i++) {
          const row = Number(ids[i]!.split('-')[1]) - 1;
          if (
            v.arm[i] !== group[row] ||
            v.cost[i] !== LBCF_ARM_COSTS[v.arm[i]!] ||
            v.revenue[i] !== label[row] ||
            v.numeric.c5![i] !== c5[row]
          )
            mismatches++;
        }
      }
      expect(mismatches).toBe(0);
      // The label is a non-negative continuous outcome in the published files (0 … 55,264; ~30 % zeros).
      expect(built.summary).toContain('every label is ≥ 0');
    },
  );

  test.skipIf(!data.present)('propensities = pooled arm shares of both files; the summary lists them', () => {
    const counts = new Array<number>(8).fill(0);
    for (const t of [train, test_]) for (const g of t.columns.get('exp_group')!.values as Float64Array) counts[g]! += 1;
    expect(built.spec.propensities).toEqual(counts.map((c) => c / 4000));
    expect(built.spec.propensities!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(built.summary).toMatch(/val\s+400/);
  });

  test.skipIf(!data.present)('the validation rows depend on the seed, deterministically', async () => {
    const valIds = async (seed: number, dir: string) => {
      const s = new LocalStore(path.join(tmp.path, dir));
      const b = await materializeBuiltinDataset('lbcf-rct', { dataDir: data.dataDir, store: s, seed });
      return readParquet(await s.get(b.spec.splits.val![0]!.slice('store:'.length))).columns.get('user_id')!
        .values as string[];
    };
    expect(await valIds(0, 'again')).toEqual(tables.val!.columns.get('user_id')!.values);
    const other = new Set(await valIds(1, 'other'));
    const shared = (tables.val!.columns.get('user_id')!.values as string[]).filter((id) => other.has(id)).length;
    // Two independent 20 % samples of 2,000 share ~80 rows (± 3·√(400·0.2·0.8) ≈ ± 24).
    expect(Math.abs(shared - 80)).toBeLessThan(24);
  });
});
