import type { FeatureTable, ScoreMatrix } from '@bidfcl/contracts';
import type { RctOutcomes } from './allocation/ipw.js';
import { ipwUniformRandomCost, uniformRandomCost } from './allocation/random-reference.js';

/** The simulator's true r_ij, c_ij of a table, when it carries them. */
export function truthOf(t: FeatureTable): ScoreMatrix | undefined {
  return t.trueRevenue && t.trueCost ? { n: t.n, m: t.m, r: t.trueRevenue, c: t.trueCost } : undefined;
}

/** A table's realised outcomes with the RCT assignment probabilities, for IPW estimates. */
export function rctOutcomesOf(t: FeatureTable, propensities: ArrayLike<number>): RctOutcomes {
  return { arm: t.arm, revenue: t.revenue, cost: t.cost, propensities };
}

/**
 * The unit of budget fractions: the per-user cost of the uniform random assignment on the test split —
 * exact where the simulator's truth is known, IPW-estimated otherwise. Allocation and evaluation both use it,
 * so a fraction means the same budget everywhere.
 */
export function randomCostPerUser(test: FeatureTable, propensities: ArrayLike<number>): number {
  const truth = truthOf(test);
  return truth ? uniformRandomCost(truth) : ipwUniformRandomCost(rctOutcomesOf(test, propensities));
}

/** Absolute per-user budgets for fractions of the random assignment's cost. */
export function budgetLevels(fractions: number[], randomCost: number): number[] {
  return fractions.map((f) => f * randomCost);
}
