import type { FeatureTable, ScoreMatrix } from '@bidfcl/contracts';
import { ipwOfDecisions, type RctOutcomes } from './allocation/ipw.js';
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

/** One budget of a run: money per user, and its fraction of the random assignment's cost per user. */
export interface BudgetLevel {
  fraction: number;
  budget: number;
}

/**
 * A run's budgets, however its config gives them (evaluation.budgets or evaluation.budgetsPerUser): money per
 * user, which allocation and evaluation spend, and beside it the fraction of `randomCost` it is, which puts runs
 * on one scale for comparison. Fractions give `fraction × randomCost` exactly as budgetLevels does, so a config
 * without money budgets gives the same numbers as before they existed.
 */
export function budgetLevelsOf(
  evaluation: { budgets?: number[] | undefined; budgetsPerUser?: number[] | undefined },
  randomCost: number,
): BudgetLevel[] {
  if (evaluation.budgetsPerUser) {
    // A fraction of nothing is no number: metrics.json would hold Infinity (null once written as JSON).
    if (!(randomCost > 0))
      throw new Error(
        `budgets per user cannot be compared with the random assignment's cost: it is ${randomCost} on the test split`,
      );
    return evaluation.budgetsPerUser.map((budget) => ({ fraction: budget / randomCost, budget }));
  }
  const fractions = evaluation.budgets ?? [];
  return budgetLevels(fractions, randomCost).map((budget, b) => ({ fraction: fractions[b]!, budget }));
}

/**
 * IPW revenue and cost per user when every test user gets arm 0 (usually no action): the baseline incremental
 * revenue and spend are measured from.
 */
export function arm0Value(test: FeatureTable, propensities: ArrayLike<number>): { revenue: number; cost: number } {
  return ipwOfDecisions(new Int32Array(test.n), rctOutcomesOf(test, propensities));
}
