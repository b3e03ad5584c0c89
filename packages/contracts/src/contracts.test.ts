import { describe, expect, test } from 'vitest';
import {
  JOBS,
  JOB_NAMES,
  ROLES,
  jobIds,
  jobsForRole,
  keys,
  formatZodError,
  maxStalledCount,
  parseScenario,
  runConfigSchema,
  scenarioPreset,
} from './index.js';

describe('ids and keys', () => {
  test('every key builder rejects ids that could escape their prefix', () => {
    for (const bad of ['../x', 'A', 'a/b', '', 'a b', 'a:b', '..']) {
      expect(() => keys.runJson(bad)).toThrow(/run id/);
      expect(() => keys.datasetPart(bad, 'v1', 'rct', 0)).toThrow(/dataset name/);
    }
    expect(keys.featuresPart('r-1.x', 'obs', 12)).toBe('runs/r-1.x/features/obs/part-00012.parquet');
    expect(() => keys.featuresPart('r', 'obs', -1)).toThrow(/part index/);
  });

  test("a hypergradient step's snapshots and answer lie in the step's folder", () => {
    const folder = keys.hypergradStep('r1', 'bidfcl-ppl', 7);
    expect(folder).toBe('runs/r1/models/bidfcl-ppl/hypergrad/00007/');
    for (const what of ['theta', 'phi', 'grad'] as const) {
      expect(keys.hypergrad('r1', 'bidfcl-ppl', 7, what)).toBe(`${folder}${what}.bin`);
    }
    expect(() => keys.hypergradStep('r1', 'bidfcl-ppl', -1)).toThrow(/non-negative/);
  });

  test("a staging part's statistics sit beside it, found from the listed key", () => {
    const part = keys.featuresStaging('r1', 'obs', 3);
    expect(part.startsWith(keys.featuresStagingPrefix('r1', 'obs'))).toBe(true);
    expect(keys.featuresStagingStatsOf(part)).toBe(keys.featuresStagingStats('r1', 'obs', 3));
    expect(keys.featuresStagingStatsOf(part)).toBe('runs/r1/features/staging/obs/part-00003.stats.json');
    const csv = 'runs/r1/features/staging/obs/part-00003.csv';
    expect(() => keys.featuresStagingStatsOf(csv)).toThrow(/not a staging part/);
  });

  test('dataset files are named the same in the store and in a folder the user names', () => {
    expect(keys.datasetPart('toy', 'v1', 'test', 2)).toBe('datasets/toy/v1/test/part-00002.parquet');
    const inStore = keys.datasetPartIn(keys.datasetPrefix('toy', 'v1'), 'test', 2);
    expect(inStore).toBe(keys.datasetPart('toy', 'v1', 'test', 2));
    expect(keys.datasetPartIn('', 'rct', 0)).toBe('rct/part-00000.parquet');
    expect(keys.datasetSpec('toy', 'v1')).toBe('datasets/toy/v1/dataset.yaml');
    expect(keys.datasetScenarioIn('out/')).toBe('out/scenario.json');
    expect(() => keys.datasetSpecIn('out')).toThrow(/ends in '\/'/);
    expect(keys.runsPrefix()).toBe('runs/');
  });

  test('@latest in a store source is replaced by a version, and only there', () => {
    expect(keys.latestDatasetName('datasets/toy/@latest/rct/')).toBe('toy');
    expect(keys.latestDatasetName('datasets/toy/v1/rct/')).toBeUndefined();
    expect(keys.datasetVersionsPrefix('toy')).toBe('datasets/toy/');
    const latest = 'datasets/toy/@latest/rct/part-00000.parquet';
    expect(keys.withDatasetVersion(latest, 'v2')).toBe('datasets/toy/v2/rct/part-00000.parquet');
    expect(() => keys.withDatasetVersion('datasets/toy/v1/rct/', 'v2')).toThrow(/@latest/);
    expect(() => keys.withDatasetVersion('datasets/toy/@latest/rct/', 'a/b')).toThrow(/dataset version/);
  });

  test("a model's versions, weights and pointer lie in its folder; names and versions are checked", () => {
    expect(keys.modelVersion('coupons', 12)).toBe('models/coupons/versions/12.json');
    expect(keys.modelWeights('coupons', 3)).toBe('models/coupons/weights/3/');
    expect(keys.modelCurrent('coupons')).toBe('models/coupons/current.json');
    for (const bad of ['../x', 'A', 'a/b', '']) expect(() => keys.modelCurrent(bad)).toThrow(/model name/);
    for (const bad of [0, -1, 1.5]) expect(() => keys.modelVersion('c', bad)).toThrow(/integer ≥ 1/);
    expect(keys.modelVersionOf('c', keys.modelVersion('c', 7))).toBe(7);
    for (const other of ['models/c/versions/07.json', 'models/c/versions/7.json.tmp', 'models/cc/versions/7.json'])
      expect(keys.modelVersionOf('c', other)).toBeUndefined();
  });

  test('job ids are deterministic and free of colons (BullMQ rejects them)', () => {
    expect(jobIds.train('r1', 'tsm-rct')).toBe('r1.train.tsm-rct');
    expect(jobIds.featuresPart('r1', 'rct', 3)).toBe('r1.features.rct.3');
    for (const id of [jobIds.evaluate('r'), jobIds.hypergrad('r', 'bidfcl-ppl', 4), jobIds.allocate('r', 'oracle')])
      expect(id).not.toContain(':');
  });
});

describe('job catalog', () => {
  test('every job belongs to exactly one role', () => {
    const owners = JOB_NAMES.map((n) =>
      Object.keys(ROLES).filter((r) => jobsForRole(r as keyof typeof ROLES).includes(n)),
    );
    for (const o of owners) expect(o).toHaveLength(1);
  });
  test('payload schemas are strict', () => {
    expect(JOBS['train.method.v1'].payload.safeParse({ runId: 'r', method: 'tsm-rct' }).success).toBe(true);
    expect(JOBS['train.method.v1'].payload.safeParse({ runId: 'r', method: 'tsm-rct', extra: 1 }).success).toBe(false);
    expect(JOBS['train.method.v1'].payload.safeParse({ runId: 'R!', method: 'tsm-rct' }).success).toBe(false);
  });
  test('a checkpointed job may stall (its worker die) as often as it may be attempted; others once', () => {
    expect(JOBS['train.method.v1'].retry.attempts).toBeGreaterThanOrEqual(2);
    expect(maxStalledCount('training')).toBe(JOBS['train.method.v1'].retry.attempts);
    for (const q of ['runs', 'features', 'hypergrad', 'allocation', 'evaluation'] as const)
      expect(maxStalledCount(q)).toBe(1);
  });
});

describe('run config and scenario schemas', () => {
  const dataset = {
    name: 'd',
    splits: { rct: ['a.csv'] },
    columns: { arm: 't', revenue: 'y', cost: 'c', features: ['x'] },
    arms: [{ name: 'a' }, { name: 'b' }],
  };
  test("defaults are docs/method.md's", () => {
    const c = runConfigSchema.parse({ runId: 'r', dataset });
    expect(c.bidfcl).toMatchObject({
      k: 5,
      nCg: 20,
      damping: 0.1,
      cgTol: 1e-6,
      eps0: 1e-2,
      fixGate: 0.5,
      // The Teacher setting (docs/method.md §3.5, "Beyond the paper"); preset 'paper' gives obs / rct.
      preset: 'teacher',
      lowerData: 'obs+rct',
      teacherData: 'rct+obs',
    });
    expect(c.dfcl).toMatchObject({ tau: 0.03, hMin: 0.05, hMax: 3, lambdas: [0.1, 0.5, 1.0] });
    expect(c.training.hidden).toEqual([128, 64, 32]);
    expect(c.evaluation.budgets).toEqual([0.25, 0.5, 0.75, 1.0]);
  });
  test('unknown keys, repeated methods and mismatched arm lists are rejected with paths', () => {
    const r = runConfigSchema.safeParse({
      runId: 'r',
      dataset: { ...dataset, propensities: [0.5] },
      methods: ['tsm-rct', 'tsm-rct'],
      trainng: {},
    });
    expect(r.success).toBe(false);
    const paths = r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['', 'dataset.propensities']));
  });
  test('semantic mistakes are rejected with the path of the key at fault', () => {
    const issues = (input: Record<string, unknown>) => {
      const r = runConfigSchema.safeParse({ runId: 'r', ...input });
      return r.success ? [] : formatZodError(r.error).split('\n');
    };
    const withDataset = (d: Record<string, unknown>) => issues({ dataset: { ...dataset, ...d } });
    expect(withDataset({ propensities: [0.5, 0.6] })).toEqual([
      'dataset.propensities: must sum to 1 (they sum to 1.1); to within 1e-6: write thirds as 0.3333333',
    ]);
    expect(withDataset({ propensities: [0.25, 0.75] })).toEqual([]);
    expect(
      withDataset({
        arms: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
        propensities: [0.3333333, 0.3333333, 0.3333333],
      }),
    ).toEqual([]);
    expect(withDataset({ arms: [{ name: 'a' }, { name: 'b' }, { name: 'a' }] })).toEqual([
      "dataset.arms.2.name: arm name 'a' repeats arms.0.name",
    ]);
    const columns = (c: Record<string, unknown>) => withDataset({ columns: { ...dataset.columns, ...c } });
    expect(columns({ features: ['x', 'y'] })).toEqual([
      "dataset.columns.features.1: column 'y' is already the revenue column (columns.revenue); a column has one role",
    ]);
    expect(columns({ userId: 'u', categorical: ['u'] })[0]).toMatch(/^dataset\.columns\.categorical\.0: .*userId/);
    expect(columns({ cost: 't' })[0]).toMatch(/^dataset\.columns\.cost: column 't' is already the arm column/);
    expect(columns({ features: ['x', 'x'] })[0]).toMatch(/^dataset\.columns\.features\.1: .*features\.0/);
    expect(issues({ dataset, dfcl: { hMin: 2, hMax: 1 } })).toEqual([
      'dfcl.hMax: hMax must be at least hMin (the bounds of the per-user multiplier h)',
    ]);
    expect(issues({ dataset, dfcl: { hMin: 1, hMax: 1 } })).toEqual([]);
  });
  test('budgets are fractions by default, or money per user instead, never both', () => {
    const parse = (evaluation: object) => runConfigSchema.safeParse({ runId: 'r', dataset, evaluation });
    const config = (evaluation: object) => runConfigSchema.parse({ runId: 'r', dataset, evaluation });
    expect(config({ budgets: [0.5, 1] }).evaluation).toEqual({ budgets: [0.5, 1], auccQuantiles: 200 });
    const money = config({ budgetsPerUser: [1.2, 2.5] });
    expect(money.evaluation).toEqual({ budgetsPerUser: [1.2, 2.5], auccQuantiles: 200 });
    // A parsed config parses to itself (run.json is read back through the schema).
    expect(runConfigSchema.parse(money).evaluation).toEqual(money.evaluation);

    const issues = (evaluation: object) => {
      const r = parse(evaluation);
      return r.success ? [] : formatZodError(r.error).split('\n');
    };
    expect(issues({ budgets: [0.5], budgetsPerUser: [2] })).toEqual([
      "evaluation.budgetsPerUser: give budgets (fractions of the uniform random assignment's cost) or " +
        'budgetsPerUser (money per user, in the cost column units), not both',
    ]);
    expect(issues({ budgetsPerUser: [1, -2] })).toEqual(['evaluation.budgetsPerUser.1: Number must be greater than 0']);
    expect(issues({ budgetsPerUser: [] })).toEqual([
      'evaluation.budgetsPerUser: Array must contain at least 1 element(s)',
    ]);
  });
  test('deploy is optional; its policy defaults to never, its guardrail to eom with margin 0', () => {
    expect(runConfigSchema.parse({ runId: 'r', dataset }).deploy).toBeUndefined();
    expect(runConfigSchema.parse({ runId: 'r', dataset, deploy: { model: 'm' } }).deploy).toEqual({
      model: 'm',
      promote: 'never',
      guardrail: { metric: 'eom', margin: 0 },
    });
    const bad = runConfigSchema.safeParse({
      runId: 'r',
      dataset,
      deploy: { model: 'M!', promote: 'sometimes', guardrail: { margin: -0.1 } },
    });
    const paths = bad.success ? [] : bad.error.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(['deploy.model', 'deploy.promote', 'deploy.guardrail.margin']);
  });
  test('presets differ from marketing-8 only where docs/method.md §5 says', () => {
    const base = scenarioPreset('marketing-8');
    expect(base.armBias).toEqual([0, -1.5, -3, -4.5, -6, -7.5, -9, -10.5]);
    expect(scenarioPreset('marketing-8-confounded')).toEqual({
      ...base,
      name: 'marketing-8-confounded',
      gamma: 0.5,
      gammaLog: 0.4,
    });
    expect(scenarioPreset('discount-5').armBias).toEqual([0, -2.625, -5.25, -7.875, -10.5]);
    expect(scenarioPreset('binary-2')).toMatchObject({ armValues: [0, 5], armBias: [0, -7.5] });
    expect(() => parseScenario({ armValues: [1, 2] })).toThrow(/start at 0/);
    expect(() => scenarioPreset('nope')).toThrow(/unknown scenario preset/);
  });
  test('a smaller experiment gets a validation split to match: val = min(10,000, ⌈rct / 2⌉) unless given', () => {
    expect(scenarioPreset('marketing-8').sizes).toEqual({ rct: 20000, val: 10000, obs: 200000, test: 50000 });
    expect(scenarioPreset('marketing-8', { sizes: { rct: 2001 } }).sizes.val).toBe(1001);
    expect(scenarioPreset('marketing-8', { sizes: { rct: 200000 } }).sizes.val).toBe(10000);
    expect(scenarioPreset('marketing-8', { sizes: { rct: 2000, val: 5000 } }).sizes.val).toBe(5000);
    expect(() => parseScenario({ sizes: { rct: 0 } })).toThrow();
  });
});
