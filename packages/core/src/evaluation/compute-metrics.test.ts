import { scenarioPreset, type AllocationSummary, type FeatureTable, type ScoreMatrix } from '@bidfcl/contracts';
import { describe, expect, it } from 'vitest';
import { budgetLevelsOf, randomCostPerUser, truthOf } from '../budgets.js';
import { simulate } from '../simulator/simulate.js';
import { computeMethodMetrics } from './compute-metrics.js';
import { twoArmCurves } from './two-arm.js';

const sizes = { rct: 10, val: 10, obs: 10, test: 3000 };

function testSplit(preset: string): { test: FeatureTable; propensities: number[]; randomCost: number } {
  const test = simulate(scenarioPreset(preset, { sizes })).splits.test;
  const propensities = Array.from({ length: test.m }, () => 1 / test.m);
  return { test, propensities, randomCost: randomCostPerUser(test, propensities) };
}

/** Scores that rank users by nothing: every arm predicted alike for every user, arm j costing j. */
function flatScores(n: number, m: number): ScoreMatrix {
  const arms = () => Float64Array.from({ length: n * m }, (_, k) => k % m);
  return { n, m, r: arms(), c: arms() };
}

const allocation = (method: string, shares: number[][]): AllocationSummary => ({
  method,
  randomCost: 1,
  budgets: shares.map((armShares) => ({
    fraction: 0,
    budgetPerUser: 0,
    lambda: null,
    predictedCostPerUser: null,
    armShares,
  })),
});

describe('computeMethodMetrics on simulated data', () => {
  const { test, propensities, randomCost } = testSplit('marketing-8');
  const truth = truthOf(test)!;
  const fractions = [0.25, 0.5, 1];
  const metrics = computeMethodMetrics({
    test,
    propensities,
    budgets: budgetLevelsOf({ budgets: fractions }, randomCost),
    auccQuantiles: 20,
    methods: [
      { method: 'tsm-rct', scores: flatScores(test.n, test.m) },
      {
        method: 'oracle',
        scores: truth,
        allocation: allocation('oracle', [
          [0.5, 0.5],
          [0.2, 0.8],
          [0, 1],
        ]),
      },
      { method: 'random' },
      { method: 'tsm-obs', allocation: { ...allocation('tsm-obs', []), skipped: 'no observational split' } },
    ],
  });
  const by = Object.fromEntries(metrics.map((m) => [m.method, m]));

  it("puts every method on the same budgets: fractions of the random assignment's cost", () => {
    for (const m of ['tsm-rct', 'oracle', 'random']) {
      expect(by[m]!.budgets.map((b) => b.fraction)).toEqual(fractions);
      expect(by[m]!.budgets.map((b) => b.budget)).toEqual(fractions.map((f) => f * randomCost));
    }
  });

  it('gives the oracle a capture of 1 and random a capture of 0, by definition', () => {
    for (const b of by.oracle!.budgets) expect(b.oracleCapture).toBeCloseTo(1, 10);
    for (const b of by.random!.budgets) {
      expect(b.oracleCapture).toBeCloseTo(0, 10);
      expect(b.lambda).toBe(0);
    }
    expect(by.oracle!.mean.oracleCapture).toBeCloseTo(1, 10);
  });

  it('normalises by tsm-rct at the same budget, and the oracle beats scores that rank nobody', () => {
    for (const b of by['tsm-rct']!.budgets) {
      expect(b.eomNormalised).toBe(1);
      expect(b.trueValueNormalised).toBe(1);
    }
    for (const b of by.oracle!.budgets) expect(b.trueValueNormalised!).toBeGreaterThan(1);
    const oracle = by.oracle!;
    expect(oracle.mean.eom).toBeCloseTo(oracle.budgets.reduce((a, b) => a + b.eom, 0) / fractions.length, 12);
  });

  it('copies arm shares from the allocation and reports a skipped method with its reason and no budgets', () => {
    expect(by.oracle!.budgets.map((b) => b.armShares)).toEqual([
      [0.5, 0.5],
      [0.2, 0.8],
      [0, 1],
    ]);
    expect(by['tsm-rct']!.budgets[0]!.armShares).toEqual([]);
    expect(by['tsm-obs']).toMatchObject({ skipped: 'no observational split', budgets: [], mean: {} });
  });

  it('gives every EOM a standard error and a paired difference against tsm-rct (docs/method.md §4)', () => {
    const base = by['tsm-rct']!;
    for (const m of ['oracle', 'random']) {
      const mm = by[m]!;
      mm.budgets.forEach((b, k) => {
        expect(b.eomSe!).toBeGreaterThan(0);
        expect(b.eomVsTsmRct!.diff).toBeCloseTo(b.eom - base.budgets[k]!.eom, 12);
        expect(b.eomVsTsmRct!.se).toBeGreaterThan(0);
      });
      // The mean's difference is exactly mean(EOM ÷ tsm-rct) − 1; its SE is below the unpaired one.
      const d = mm.mean.eomNormalisedVsTsmRct!;
      expect(d.diff).toBe(mm.mean.eomNormalised! - 1);
      expect(d.se).toBeLessThan(Math.hypot(mm.mean.eomNormalisedSe!, base.mean.eomNormalisedSe!));
      expect(mm.mean.eomSe!).toBeLessThanOrEqual(Math.max(...mm.budgets.map((b) => b.eomSe!)));
    }
    expect(base.mean.eomNormalisedVsTsmRct).toBeUndefined();
    expect(base.budgets[0]!.eomVsTsmRct).toBeUndefined();
  });

  it('gives every method that ran a value–budget curve on one shared grid, from 0 past the largest budget', () => {
    const grid = by.oracle!.valueCurve!.map((p) => p.budget);
    expect(grid).toHaveLength(50);
    expect(grid[0]).toBe(0);
    expect(grid[49]!).toBeGreaterThanOrEqual(Math.max(...fractions) * randomCost);
    for (const m of ['tsm-rct', 'oracle', 'random']) {
      expect(by[m]!.valueCurve!.map((p) => p.budget)).toEqual(grid);
      expect(by[m]!.valueCurve!.every((p) => Number.isFinite(p.eom) && Number.isFinite(p.trueValue))).toBe(true);
    }
    expect(by['tsm-obs']!.valueCurve).toBeUndefined();
  });

  it('draws no two-arm curves on multi-arm data', () => {
    expect(by.oracle!.aucc).toBeUndefined();
    expect(by.oracle!.qini).toBeUndefined();
  });
});

describe('computeMethodMetrics with budgets in money per user', () => {
  const { test, propensities, randomCost } = testSplit('marketing-8');
  const perUser = [0.4 * randomCost, 0.9 * randomCost].map((b) => Math.round(b * 100) / 100);
  const [oracle, random] = computeMethodMetrics({
    test,
    propensities,
    budgets: budgetLevelsOf({ budgetsPerUser: perUser }, randomCost),
    auccQuantiles: 20,
    methods: [{ method: 'oracle', scores: truthOf(test)! }, { method: 'random' }],
  });

  it('evaluates at the money given, its fraction of the random cost beside it', () => {
    for (const m of [oracle!, random!]) {
      expect(m.budgets.map((b) => b.budget)).toEqual(perUser);
      expect(m.budgets.map((b) => b.fraction)).toEqual(perUser.map((b) => b / randomCost));
    }
  });

  it('spends that money: the IPW cost at λ meets the budget up to one user', () => {
    // The IPW cost is a step function of λ: a user whose decision changes moves it by c_i / (p_i·n) at most.
    const step = Math.max(...Array.from(test.cost, (c, i) => c / (propensities[test.arm[i]!]! * test.n)));
    expect(step).toBeLessThan(0.05 * Math.min(...perUser)); // so that the check below says something
    for (const b of random!.budgets) expect(b.eomCost).toBeCloseTo(b.budget, 12);
    for (const b of oracle!.budgets) {
      expect(b.eomCost).toBeLessThanOrEqual(b.budget + 1e-9);
      expect(b.budget - b.eomCost).toBeLessThanOrEqual(step);
    }
  });
});

describe('twoArmCurves', () => {
  const { test } = testSplit('binary-2');

  it('gives AUCC and a thinned Qini curve for scores that rank users', () => {
    const out = twoArmCurves(truthOf(test)!, test, 20);
    expect(out.aucc).toBeGreaterThan(0);
    expect(out.auccCurve!.length).toBeGreaterThan(1);
    expect(Number.isFinite(out.qini)).toBe(true);
    expect(out.qiniCurve!.length).toBeLessThanOrEqual(201);
  });

  it('leaves AUCC out when treating costs nothing on the test split, and still gives Qini', () => {
    const free = { ...test, cost: new Float64Array(test.n) };
    const out = twoArmCurves(truthOf(test)!, free, 20);
    expect(out.aucc).toBeUndefined();
    expect(out.auccCurve).toBeUndefined();
    expect(out.qiniCurve!.length).toBeGreaterThan(1);
  });
});
