import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keys, runConfigSchema, type AllocationSummary, type FeatureTable } from '@bidfcl/contracts';
import { deriveSeed, ipwRandomReference, randomReference, rctOutcomesOf, sampleRandomPolicy } from '@bidfcl/core';
import { encodeFeatureTable, readParquet } from '@bidfcl/io';
import { createRunRecord, type JobContext } from '@bidfcl/runtime';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { allocatorHandlers } from '@bidfcl/worker-allocator';

// Arm j costs ARM_COST[j] for every user, realised and true alike: arm 0 costs 1 and the uniform random
// assignment 3, so at budget B the random policy must draw with q = (B − 1)/2, not B/3.
const ARM_COST = [1, 3, 5];
const N = 30000;
const FRACTIONS = [0.5, 0.8]; // B = 1.5 → q = 0.25; B = 2.4 → q = 0.7

function testTable(withTruth: boolean): FeatureTable {
  const m = ARM_COST.length;
  const arm = Int32Array.from({ length: N }, (_, i) => i % m);
  const t: FeatureTable = {
    n: N,
    d: 1,
    m,
    x: new Float32Array(N),
    arm,
    revenue: new Float64Array(N),
    cost: Float64Array.from(arm, (j) => ARM_COST[j]!),
  };
  if (withTruth) {
    t.trueRevenue = new Float64Array(N * m);
    t.trueCost = Float64Array.from({ length: N * m }, (_, k) => ARM_COST[k % m]!);
  }
  return t;
}

/** Stores what the allocator reads: the run record, a feature manifest and the test split. */
async function seedRun(rt: TestRuntime, runId: string, test: FeatureTable) {
  const config = runConfigSchema.parse({
    runId,
    seed: 11,
    dataset: {
      name: 'costly-control',
      splits: { rct: ['unused.csv'] },
      columns: { arm: 't', revenue: 'y', cost: 'c', features: ['x'] },
      arms: ARM_COST.map((_, j) => ({ name: `a${j}` })),
    },
    methods: ['random'],
    evaluation: { budgets: FRACTIONS },
  });
  await createRunRecord(rt.ctx, config);
  const testKey = keys.featuresPart(runId, 'test', 0);
  await rt.ctx.store.put(testKey, encodeFeatureTable(test));
  const empty = { rows: 0, parts: [], armCounts: [0, 0, 0] };
  const testSplit = { rows: N, parts: [testKey], armCounts: [N / 3, N / 3, N / 3] };
  await rt.ctx.store.putJson(keys.featuresManifest(runId), {
    runId,
    dataset: { name: 'costly-control', version: 'v1' },
    arms: config.dataset.arms,
    featureNames: ['x'],
    mean: [0],
    std: [1],
    vocab: {},
    targetScale: { revenue: 1, cost: 1 },
    propensities: [1 / 3, 1 / 3, 1 / 3],
    splits: { rct: empty, val: empty, obs: empty, test: testSplit },
    hasTruth: test.trueRevenue !== undefined,
    createdAt: new Date(0).toISOString(),
  });
  return config;
}

describe('the allocator samples the random reference that core evaluates', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime('allocator');
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  for (const withTruth of [true, false]) {
    const costs = withTruth ? 'simulator truth' : 'RCT estimates';
    test(`spends the budget when arm 0 costs something (${costs})`, async () => {
      const runId = `random-costly-control-${withTruth ? 'truth' : 'rct'}`;
      const table = testTable(withTruth);
      const config = await seedRun(rt, runId, table);
      const ctx: JobContext = { runtime: rt.ctx, jobId: runId, attempt: 0, createdAt: 0, progress: async () => {} };
      const result = await allocatorHandlers['allocate.method.v1']({ runId, method: 'random' }, ctx);
      const summary = await rt.ctx.store.getJson<AllocationSummary>(result.lambdaKey);
      const arms = readParquet(await rt.ctx.store.get(result.parts[0]!)).columns;
      expect(summary.randomCost).toBeCloseTo(3, 12);
      expect(summary.budgets.map((x) => x.fraction)).toEqual(FRACTIONS);

      summary.budgets.forEach(({ budgetPerUser }, b) => {
        const column = arms.get(`arm_b${b}`);
        if (column?.kind !== 'number') throw new Error(`no arm_b${b} column`);
        const assignment = Int32Array.from(column.values);
        const core = withTruth
          ? randomReference({ n: N, m: 3, r: table.trueRevenue!, c: table.trueCost! }, budgetPerUser)
          : ipwRandomReference(rctOutcomesOf(table, [1 / 3, 1 / 3, 1 / 3]), budgetPerUser);
        expect(core.q).toBeCloseTo((FRACTIONS[b]! * 3 - 1) / 2, 12);
        expect(core.cost).toBeCloseTo(budgetPerUser, 12);
        // They spend the budget: the per-user cost has sd ≤ 2 (costs in [1, 5]), so the mean of 30000 is
        // within 4 standard errors, 4·2/√30000 ≈ 0.046, of B. q = B/3 would overspend by ≥ 0.2.
        const spent = assignment.reduce((s, j) => s + ARM_COST[j]!, 0) / N;
        expect(Math.abs(spent - budgetPerUser)).toBeLessThan(0.046);
        // They are exactly core's policy drawn with core's q from the allocator's seed.
        const seed = deriveSeed(config.seed, 'random-allocation', b);
        expect(assignment).toEqual(sampleRandomPolicy(N, 3, core.q, seed));
      });
    });
  }
});
