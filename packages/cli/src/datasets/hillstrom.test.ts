import path from 'node:path';
import { datasetSpecSchema, SPLITS, type Split } from '@bidfcl/contracts';
import { LocalStore, readParquet, validateRawTable, type RawTable } from '@bidfcl/io';
import { tempDir } from '@bidfcl/io/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CliError } from '../cli-error.js';
import {
  hillstromRows,
  hillstromRuleArm,
  parseTargetingRule,
  RULE_VALUE_THRESHOLD,
  type RuleFeatures,
} from './hillstrom.js';
import { HILLSTROM_ARMS, materializeBuiltinDataset, type MaterializedDataset } from './index.js';
import { sharedData } from './testing.js';

const f = (recency: number, history: number, mens: number, womens: number, newbie = 0): RuleFeatures => ({
  recency,
  history,
  mens,
  womens,
  newbie,
});

describe('the default targeting rule', () => {
  test('mails recent or high-history customers the e-mail matching what they bought', () => {
    expect(hillstromRuleArm(f(1, 500, 1, 0))).toBe(2); // value 1.5, mens only
    expect(hillstromRuleArm(f(1, 500, 0, 1))).toBe(1); // womens only
    expect(hillstromRuleArm(f(1, 500, 1, 1, 1))).toBe(1); // both, new customer
    expect(hillstromRuleArm(f(1, 500, 1, 1, 0))).toBe(2); // both, returning customer
    expect(hillstromRuleArm(f(12, 100, 1, 0))).toBe(0); // value 1/12 + 0.1: lapsed, low value
    // value = (13 − 7)/12 + 250/1000 = 0.75 exactly: at the threshold customers are mailed.
    expect((13 - 7) / 12 + 250 / 1000).toBe(RULE_VALUE_THRESHOLD);
    expect(hillstromRuleArm(f(7, 250, 1, 0))).toBe(2);
    expect(hillstromRuleArm(f(7, 249, 1, 0))).toBe(0);
    // History is capped at 1000 (value contribution ≤ 1): a lapsed customer with a huge history is mailed.
    expect(hillstromRuleArm(f(12, 5000, 0, 1))).toBe(1);
  });

  test('rule text', () => {
    expect(parseTargetingRule('value')).toEqual({ kind: 'value' });
    expect(parseTargetingRule('noisy')).toEqual({ kind: 'noisy', noise: 0.3 });
    expect(parseTargetingRule('noisy:0.1')).toEqual({ kind: 'noisy', noise: 0.1 });
    expect(() => parseTargetingRule('noisy:2')).toThrow(CliError);
    expect(() => parseTargetingRule('greedy')).toThrow(/value', 'noisy'/);
  });
});

describe('hillstromRows (synthetic table)', () => {
  const n = 3000;
  // A deterministic spread of features and a balanced arm column.
  const arm = Int32Array.from({ length: n }, (_, i) => (i * 7) % 3);
  const feats = (i: number) => f(1 + (i % 12), 30 + ((i * 37) % 900), i % 2, (i >> 1) % 2, (i >> 2) % 2);

  test('10/10/30 % RCT splits and a 50 % pool that partition the rows; OBS = pool rows matching the rule', () => {
    const r = hillstromRows(arm, feats, 5);
    expect([r.rct.length, r.val.length, r.test.length, r.pool.length]).toEqual([300, 300, 900, 1500]);
    const all = [...r.rct, ...r.val, ...r.test, ...r.pool].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
    const pool = new Set(r.pool);
    const expected = [...r.pool].filter((i) => hillstromRuleArm(feats(i)) === arm[i]);
    expect([...r.obs]).toEqual(expected);
    for (const [p, i] of r.obs.entries()) {
      expect(pool.has(i)).toBe(true);
      expect(r.obsRuleArm[p]).toBe(arm[i]);
    }
  });

  test(
    'same seed, same rows; another seed, other rows; ' + 'noise 0 is the value rule, noise 1 a uniform random choice',
    () => {
      const a = hillstromRows(arm, feats, 5);
      expect(hillstromRows(arm, feats, 5)).toEqual(a);
      expect([...hillstromRows(arm, feats, 6).rct]).not.toEqual([...a.rct]);
      expect(hillstromRows(arm, feats, 5, { kind: 'noisy', noise: 0 })).toEqual(a);
      const random = hillstromRows(arm, feats, 5, { kind: 'noisy', noise: 1 });
      // Each pool row is kept with probability 1/3: 500 ± 3·√(1500·(1/3)·(2/3)) = 500 ± 55.
      expect(Math.abs(random.obs.length - 500)).toBeLessThan(55);
    },
  );
});

const data = sharedData('hillstrom.csv');

describe('hillstrom-hybrid from the real file', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let store: LocalStore;
  let built: MaterializedDataset;
  const tables: Partial<Record<Split, RawTable>> = {};

  beforeAll(async () => {
    if (!data.present) return;
    tmp = await tempDir('hillstrom');
    store = new LocalStore(path.join(tmp.path, 'a'));
    built = await materializeBuiltinDataset('hillstrom-hybrid', { dataDir: data.dataDir, store, seed: 0 });
    for (const split of SPLITS) {
      const uris = built.spec.splits[split] ?? [];
      expect(uris).toHaveLength(1);
      expect(uris[0]).toBe(`store:datasets/hillstrom-hybrid/seed-0/${split}/part-00000.parquet`);
      tables[split] = readParquet(await store.get(uris[0]!.slice('store:'.length)), split);
    }
  }, 60_000);
  afterAll(async () => tmp?.cleanup());

  const col = (split: Split, name: string) => tables[split]!.columns.get(name)!;
  const nums = (split: Split, name: string) => col(split, name).values as Float64Array;

  test.skipIf(!data.present)('row counts: 10/10/30 % of 64,000, OBS a subset of the other 32,000', () => {
    expect(tables.rct!.numRows).toBe(6400);
    expect(tables.val!.numRows).toBe(6400);
    expect(tables.test!.numRows).toBe(19200);
    const ids = (s: Split) => col(s, 'user_id').values as string[];
    const kept = new Set([...ids('rct'), ...ids('val'), ...ids('test')]);
    expect(kept.size).toBe(32000);
    // Every OBS row comes from the pool (never from a kept RCT split), once.
    const obs = ids('obs');
    expect(new Set(obs).size).toBe(obs.length);
    for (const id of obs) expect(kept.has(id)).toBe(false);
    // Each pool row's arm matches the rule's with probability ≈ 1/3: 10,667 ± 3·√(32000·(2/9)) ≈ ± 252.
    expect(Math.abs(obs.length - 32000 / 3)).toBeLessThan(252);
    expect(built.stats.splits.obs!.rows).toBe(obs.length);
  });

  test.skipIf(!data.present)("every OBS row is one whose randomised arm is the rule's choice", () => {
    const arm = nums('obs', 'arm');
    const rule = col('obs', 'rule_arm').values as Float64Array;
    const seg = col('obs', 'segment').values as string[];
    const bad: number[] = [];
    for (let i = 0; i < tables.obs!.numRows; i++) {
      const choice = hillstromRuleArm({
        recency: nums('obs', 'recency')[i]!,
        history: nums('obs', 'history')[i]!,
        mens: nums('obs', 'mens')[i]!,
        womens: nums('obs', 'womens')[i]!,
        newbie: nums('obs', 'newbie')[i]!,
      });
      if (arm[i] !== choice || rule[i] !== choice || seg[i] !== HILLSTROM_ARMS[choice]) bad.push(i);
    }
    expect(bad).toEqual([]);
    // All three arms are logged (shares measured at seed 0: 44 / 29 / 27 %).
    for (const c of built.stats.splits.obs!.armCounts) expect(c / tables.obs!.numRows).toBeGreaterThan(0.2);
  });

  test.skipIf(!data.present)(
    'spec: three arms (none zero-cost), revenue = spend, cost = visit, design propensities, ' +
      'one-hot columns as text; the feature builder accepts every split',
    () => {
      const spec = datasetSpecSchema.parse(built.spec);
      expect(spec.arms.map((a) => [a.name, a.zeroCost])).toEqual([
        ['No E-Mail', false],
        ['Womens E-Mail', false],
        ['Mens E-Mail', false],
      ]);
      expect(spec.columns).toMatchObject({
        arm: 'arm',
        revenue: 'spend',
        cost: 'visit',
        userId: 'user_id',
        features: ['recency', 'history', 'mens', 'womens', 'newbie'],
        categorical: ['history_segment', 'zip_code', 'channel'],
      });
      expect(spec.propensities).toEqual([1 / 3, 1 / 3, 1 / 3]);
      for (const split of SPLITS) {
        for (const c of spec.columns.categorical) expect(col(split, c).kind).toBe('string');
        const v = validateRawTable(tables[split]!, spec, { file: split, split });
        // The arm index agrees with the segment name in every row.
        const seg = col(split, 'segment').values as string[];
        let mismatched = 0;
        for (let i = 0; i < v.n; i++) if (HILLSTROM_ARMS[v.arm[i]!] !== seg[i]) mismatched++;
        expect(mismatched).toBe(0);
        expect(v.cost.every((c) => c === 0 || c === 1)).toBe(true);
      }
      expect(new Set(col('rct', 'zip_code').values as string[])).toEqual(new Set(['Urban', 'Surburban', 'Rural']));
      // RCT splits keep the randomisation: every arm's share is 1/3 ± 3·√(1/3·2/3/6400) ≈ ± 0.018.
      for (const c of built.stats.splits.rct!.armCounts) expect(Math.abs(c / 6400 - 1 / 3)).toBeLessThan(0.018);
    },
  );

  test.skipIf(!data.present)(
    'deterministic for a seed (byte-identical parts); another seed draws other splits',
    async () => {
      const again = await materializeBuiltinDataset('hillstrom-hybrid', {
        dataDir: data.dataDir,
        store: new LocalStore(path.join(tmp.path, 'b')),
        seed: 0,
      });
      expect(again.spec).toEqual(built.spec);
      for (const split of SPLITS) {
        const key = built.spec.splits[split]![0]!.slice('store:'.length);
        expect(
          Buffer.from(await new LocalStore(path.join(tmp.path, 'b')).get(key)).equals(
            Buffer.from(await store.get(key)),
          ),
        ).toBe(true);
      }
      const other = await materializeBuiltinDataset('hillstrom-hybrid', { dataDir: data.dataDir, store, seed: 1 });
      expect(other.spec.version).toBe('seed-1');
      const otherRct = readParquet(await store.get(other.spec.splits.rct[0]!.slice('store:'.length)));
      const a = new Set(col('rct', 'user_id').values as string[]);
      const shared = (otherRct.columns.get('user_id')!.values as string[]).filter((id) => a.has(id)).length;
      // Two independent 10 % samples share about 10 % of their rows (640 ± 3·√(6400·0.1·0.9) ≈ ± 72).
      expect(Math.abs(shared - 640)).toBeLessThan(72);
    },
    60_000,
  );

  test.skipIf(!data.present)('the OBS is clearly biased against the RCT (naive visit means and effects)', () => {
    const bias = built.stats.obsBias!;
    // The rule leaves lapsed, low-history customers unmailed: OBS controls visit less than RCT controls.
    // Measured over seeds 0–7: ratio 0.66–0.79 (value rule); sampling sd of the ratio ≈ 0.05, so 0.85 is
    // well above any seed's value while an unbiased OBS (ratio 1) fails by ~3 sd.
    expect(bias[0]!.obsCost! / bias[0]!.rctCost!).toBeLessThan(0.85);
    // Naive e-mail effects on visits are inflated: RCT effects 0.042 (womens) and 0.074 (mens); OBS adds
    // +0.058..+0.090 and +0.050..+0.069 over seeds 0–7 (sd of the difference ≈ 0.007): bound at +0.03.
    for (const j of [1, 2]) expect(bias[j]!.obsCostEffect! - bias[j]!.rctCostEffect!).toBeGreaterThan(0.03);
    expect(built.summary).toContain('OBS bias');
    expect(built.summary).toMatch(/obs\s+\d+/);
  });

  test.skipIf(!data.present)(
    'the noisy rule keeps some support for every arm everywhere and still biases the OBS',
    async () => {
      const noisy = await materializeBuiltinDataset('hillstrom-hybrid', {
        dataDir: data.dataDir,
        store,
        seed: 0,
        rule: 'noisy:0.3',
      });
      expect(noisy.spec.version).toBe('seed-0-noisy-0.3');
      const obs = readParquet(await store.get(noisy.spec.splits.obs![0]!.slice('store:'.length)));
      const arm = obs.columns.get('arm')!.values as Float64Array;
      const num = (c: string) => obs.columns.get(c)!.values as Float64Array;
      let disagree = 0;
      for (let i = 0; i < obs.numRows; i++)
        if (
          hillstromRuleArm({
            recency: num('recency')[i]!,
            history: num('history')[i]!,
            mens: num('mens')[i]!,
            womens: num('womens')[i]!,
            newbie: num('newbie')[i]!,
          }) !== arm[i]
        )
          disagree++;
      // A noisy choice (30 %) is uniform, so 2/3 of those disagree with the rule; of ~10.7k OBS rows about
      // 0.3·(2/3)·32000/3 ≈ 2133 do (± 3·√2133 ≈ 140).
      expect(Math.abs(disagree - 2133)).toBeLessThan(140);
      // Measured over seeds 0–7: 0.72–0.84.
      expect(noisy.stats.obsBias![0]!.obsCost! / noisy.stats.obsBias![0]!.rctCost!).toBeLessThan(0.9);
    },
    60_000,
  );
});
