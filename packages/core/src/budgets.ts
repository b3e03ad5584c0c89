import type { FeatureTable, ScoreMatrix } from '@bidfcl/contracts';
import type { RctOutcomes } from './allocation/ipw.js';
import {
  arm0MeanCost,
  ipwArm0MeanCost,
  ipwUniformRandomCost,
  uniformRandomCost,
} from './allocation/random-reference.js';

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
  return onTestSplit(test, propensities, uniformRandomCost, ipwUniformRandomCost);
}

/**
 * Arm 0's cost per user on the test split, known or estimated exactly as {@link randomCostPerUser} is: with
 * it, the random policy's mixing probability at a budget is the same in allocation and evaluation.
 */
export function arm0CostPerUser(test: FeatureTable, propensities: ArrayLike<number>): number {
  return onTestSplit(test, propensities, arm0MeanCost, ipwArm0MeanCost);
}

/** A per-user quantity of the test split: exact on the simulator's truth when known, else from RCT outcomes. */
function onTestSplit(
  test: FeatureTable,
  propensities: ArrayLike<number>,
  exact: (truth: ScoreMatrix) => number,
  estimate: (rct: RctOutcomes) => number,
): number {
  const truth = truthOf(test);
  return truth ? exact(truth) : estimate(rctOutcomesOf(test, propensities));
}

/** Absolute per-user budgets for fractions of the random assignment's cost. */
export function budgetLevels(fractions: number[], randomCost: number): number[] {
  return fractions.map((f) => f * randomCost);
}
