import type { FeatureTable } from '@bidfcl/contracts';
import { describe, expect, it } from 'vitest';
import { ipwRandomReference, randomMixingProbability, randomReference } from './allocation/random-reference.js';
import { arm0CostPerUser, budgetLevels, budgetLevelsOf, randomCostPerUser, rctOutcomesOf } from './budgets.js';

// Two users, two arms. Realised: user 0 got arm 0 at cost 1, user 1 got arm 1 at cost 7.
// Truth: c = [[2, 4], [1, 9]]: arm 0 costs 1.5 per user, the uniform random assignment 4.
const table = (withTruth: boolean): FeatureTable => {
  const t: FeatureTable = {
    n: 2,
    d: 1,
    m: 2,
    x: new Float32Array(2),
    arm: Int32Array.of(0, 1),
    revenue: Float64Array.of(0, 5),
    cost: Float64Array.of(1, 7),
  };
  if (withTruth) {
    t.trueRevenue = Float64Array.of(0, 3, 0, 6);
    t.trueCost = Float64Array.of(2, 4, 1, 9);
  }
  return t;
};

describe('test-split costs', () => {
  it('are exact on the truth and RCT arm means without it, for random and for arm 0 alike', () => {
    expect(randomCostPerUser(table(true), [0.5, 0.5])).toBe(4);
    expect(arm0CostPerUser(table(true), [0.5, 0.5])).toBe(1.5);
    expect(randomCostPerUser(table(false), [0.5, 0.5])).toBe(4); // (1 + 7)/2
    expect(arm0CostPerUser(table(false), [0.5, 0.5])).toBe(1);
  });

  it("give the random reference's q, on the truth and on the RCT", () => {
    const p = [0.5, 0.5];
    for (const withTruth of [true, false]) {
      const t = table(withTruth);
      const [budget] = budgetLevels([0.5], randomCostPerUser(t, p));
      const q = randomMixingProbability(budget!, randomCostPerUser(t, p), arm0CostPerUser(t, p));
      if (withTruth) {
        // q·4 + (1 − q)·1.5 = 2 → q = 0.2.
        expect(q).toBeCloseTo(0.2, 15);
        expect(randomReference({ n: 2, m: 2, r: t.trueRevenue!, c: t.trueCost! }, budget!).q).toBe(q);
      } else {
        // q·4 + (1 − q)·1 = 2 → q = 1/3.
        expect(q).toBeCloseTo(1 / 3, 15);
        expect(ipwRandomReference(rctOutcomesOf(t, p), budget!).q).toBe(q);
      }
    }
  });
});

describe('budgetLevelsOf', () => {
  it('turns fractions into money per user exactly as budgetLevels does', () => {
    const levels = budgetLevelsOf({ budgets: [0.25, 0.7] }, 3.3);
    expect(levels.map((l) => l.fraction)).toEqual([0.25, 0.7]);
    expect(levels.map((l) => l.budget)).toEqual(budgetLevels([0.25, 0.7], 3.3));
  });

  it('spends money budgets as given, with their fraction of the random cost beside them', () => {
    expect(budgetLevelsOf({ budgetsPerUser: [1.2, 5] }, 4)).toEqual([
      { budget: 1.2, fraction: 0.3 },
      { budget: 5, fraction: 1.25 },
    ]);
  });

  it('refuses money budgets when the random assignment costs nothing (no fraction to report)', () => {
    expect(() => budgetLevelsOf({ budgetsPerUser: [1] }, 0)).toThrow(/random assignment's cost: it is 0/);
  });
});
