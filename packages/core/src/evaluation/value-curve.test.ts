import { scenarioPreset, type ScoreMatrix } from '@bidfcl/contracts';
import { describe, expect, it } from 'vitest';
import { trueValueAtBudget } from '../allocation/allocate-budget.js';
import { decide } from '../allocation/decide.js';
import { ipwOfDecisions } from '../allocation/ipw.js';
import { ipwRandomReference } from '../allocation/random-reference.js';
import { rctOutcomesOf, truthOf } from '../budgets.js';
import { simulate } from '../simulator/simulate.js';
import { budgetGrid, randomValueCurve, valueCurve } from './value-curve.js';

const test = simulate(scenarioPreset('marketing-8', { sizes: { rct: 10, val: 10, obs: 10, test: 600 } })).splits.test;
const propensities = Array.from({ length: test.m }, () => 1 / test.m);
const rct = rctOutcomesOf(test, propensities);
const truth = truthOf(test)!;

/** Scores that rank users differently from the truth: true revenue with noise, true cost. */
function noisyScores(): ScoreMatrix {
  let s = 12345;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return { n: truth.n, m: truth.m, r: truth.r.map((v) => v * (0.6 + 0.8 * rnd())), c: truth.c };
}

/**
 * The curve by brute force, independent of the path: the decisions ĵ(λ) at every λ between consecutive breakpoints
 * (r_ij − r_ik) / (c_ij − c_ik), from +∞ down; per budget the IPW value of the decisions just before the first
 * ones whose IPW spend exceeds it.
 */
function bruteForce(scores: ScoreMatrix, budgets: number[]): { eom: number; eomCost: number }[] {
  const { n, m, r, c } = scores;
  const breaks = new Set<number>();
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++)
      for (let k = 0; k < m; k++) {
        const dc = c[i * m + j]! - c[i * m + k]!;
        const dr = r[i * m + j]! - r[i * m + k]!;
        if (dc > 0 && dr > 0) breaks.add(dr / dc);
      }
  const sorted = [...breaks].sort((a, b) => b - a);
  const lambdas = [sorted[0]! * 2 + 1, ...sorted.map((s, k) => (s + (sorted[k + 1] ?? 0)) / 2)];
  const states = lambdas.map((l) => ipwOfDecisions(decide(scores, l), rct));
  return budgets.map((b) => {
    const over = states.findIndex((st) => st.cost > b);
    const k = over === -1 ? states.length - 1 : Math.max(0, over - 1);
    return { eom: states[k]!.revenue, eomCost: states[k]!.cost };
  });
}

describe('budgetGrid', () => {
  it('spaces the budgets evenly from 0 to the maximum, both included', () => {
    expect(budgetGrid(2, 5)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(budgetGrid(3)).toHaveLength(50);
    expect(budgetGrid(0)).toEqual([0]);
  });
});

describe('valueCurve', () => {
  const scores = noisyScores();
  const budgets = budgetGrid(1.2 * ipwOfDecisions(decide(scores, 0), rct).cost, 30);
  const curve = valueCurve(scores, rct, truth, budgets);

  it('equals the IPW value of ĵ(λ) at the first λ whose IPW spend exceeds each budget (brute force)', () => {
    const brute = bruteForce(scores, budgets);
    expect(curve.map((p) => p.budget)).toEqual(budgets);
    curve.forEach((p, g) => {
      expect(p.eom).toBeCloseTo(brute[g]!.eom, 9);
      expect(p.eomCost).toBeCloseTo(brute[g]!.eomCost, 9);
    });
  });

  it('rises from the cheapest decisions and ends at the λ = 0 decisions once the budget covers them', () => {
    expect(curve[0]!.eomCost).toBe(ipwOfDecisions(decide(scores, Infinity), rct).cost);
    const end = ipwOfDecisions(decide(scores, 0), rct);
    expect(curve[curve.length - 1]!.eom).toBeCloseTo(end.revenue, 9);
  });

  it("gives the oracle's true value where its true cost meets the budget, as trueValueAtBudget does", () => {
    const oracle = valueCurve(truth, rct, truth, budgets);
    for (const p of oracle) {
      // trueValueAtBudget also fills ties at λ* greedily, so the curve is at most that and within one group of it.
      const exact = trueValueAtBudget(truth, truth, p.budget).value;
      expect(p.trueValue!).toBeLessThanOrEqual(exact + 1e-9);
      expect(p.trueValue!).toBeGreaterThan(exact - 0.05 * Math.abs(exact) - 1e-9);
    }
    const values = oracle.map((p) => p.trueValue!);
    for (let g = 1; g < values.length; g++) expect(values[g]!).toBeGreaterThanOrEqual(values[g - 1]! - 1e-9);
  });

  it('refuses budgets out of order (the single walk needs them ascending)', () => {
    expect(() => valueCurve(scores, rct, undefined, [1, 0.5])).toThrow(/ascend/);
  });
});

describe('randomValueCurve', () => {
  it("is the random reference's closed form at each budget", () => {
    const points = randomValueCurve(rct, undefined, [0.1, 0.4]);
    expect(points.map((p) => p.eom)).toEqual([0.1, 0.4].map((b) => ipwRandomReference(rct, b).value));
    expect(points[0]!.trueValue).toBeUndefined();
  });
});
