import type { ScoreMatrix } from '@bidfcl/contracts';
import { assertScoreMatrix } from './decide.js';
import { allocateShards } from './allocate-shards.js';
import { allocateOnPath, buildLagrangianPath } from './lagrangian-path.js';

/** A deployed allocation: one arm per user. */
export interface BudgetAllocation {
  /** λ* (0 when the unconstrained argmax fits; +∞ when even the cheapest arms exceed the budget). */
  lambda: number;
  assignment: Int32Array;
  /** Predicted cost per user, mean_i ĉ_{i,assignment_i} (≤ budgetPerUser whenever feasible). */
  cost: number;
  /** Predicted revenue per user, mean_i r̂_{i,assignment_i}. */
  value: number;
  /** False only when the cheapest arms already exceed the budget (then every user gets the cheapest arm). */
  feasible: boolean;
}

/** Options of {@link allocateBudget}. */
export interface AllocateBudgetOptions {
  /**
   * One tie key per user (see tieKeyOf). With them, users tied at λ* are upgraded in tie-key order (the
   * prefix rule of docs/method.md §7), and λ* and every arm equal those of the sharded allocation
   * (allocateShards) on the same scores and total budget budgetPerUser · n, however it is sharded.
   */
  tieKeys?: Float64Array;
}

/**
 * Deployment allocation (docs/method.md §1, §3.3): λ* meets the budget on the PREDICTED costs, computed exactly from
 * the per-user hull breakpoints. Without tie keys, users tied at λ* are moved to their costlier hull arm while
 * budget remains, in user order (the behaviour the evaluation metrics are pinned to); with `options.tieKeys`, the
 * sharded algorithm runs on one shard. Either way the predicted total cost never exceeds n · budgetPerUser.
 */
export function allocateBudget(
  scores: ScoreMatrix,
  budgetPerUser: number,
  options: AllocateBudgetOptions = {},
): BudgetAllocation {
  if (options.tieKeys) {
    const { threshold, assignments } = allocateShards([{ scores, tieKeys: options.tieKeys }], budgetPerUser * scores.n);
    const assignment = assignments[0]!;
    return {
      lambda: threshold.lambda,
      assignment,
      cost: perUser(threshold.cost, scores.n),
      value: meanAt(scores.r, scores.n, scores.m, assignment),
      feasible: threshold.status !== 'infeasible',
    };
  }
  const path = buildLagrangianPath(scores);
  const res = allocateOnPath(path, scores.c, budgetPerUser * scores.n);
  return {
    lambda: res.lambda,
    assignment: res.assignment,
    cost: perUser(res.totalCost, scores.n),
    value: meanAt(scores.r, scores.n, scores.m, res.assignment),
    feasible: res.feasible,
  };
}

/** The simulator metric's result. */
export interface TrueValueResult {
  lambda: number;
  /** Mean true revenue per user of the decisions. */
  value: number;
  /** Mean true cost per user (≤ budgetPerUser whenever feasible). */
  cost: number;
  assignment: Int32Array;
  feasible: boolean;
}

/**
 * Simulator-only true value (docs/method.md §4): decisions come from `scores` (ĵ_i(λ) on the model's hulls), but λ is
 * chosen so that the TRUE spend Σ_i c_{i,ĵ_i} / n comes as close to the budget as possible without exceeding it
 * (same tie filling as {@link allocateBudget}, budget measured on `truth`). True spend need not be monotone in
 * λ for a wrong model; the walk stops at the first crossing as λ decreases from +∞.
 */
export function trueValueAtBudget(scores: ScoreMatrix, truth: ScoreMatrix, budgetPerUser: number): TrueValueResult {
  assertScoreMatrix(truth, 'truth');
  if (truth.n !== scores.n || truth.m !== scores.m) {
    throw new Error(`trueValueAtBudget: scores ${scores.n}×${scores.m} vs truth ${truth.n}×${truth.m}`);
  }
  const path = buildLagrangianPath(scores);
  const res = allocateOnPath(path, truth.c, budgetPerUser * truth.n);
  return {
    lambda: res.lambda,
    value: meanAt(truth.r, truth.n, truth.m, res.assignment),
    cost: perUser(res.totalCost, truth.n),
    assignment: res.assignment,
    feasible: res.feasible,
  };
}

/** The oracle: allocation from the true r and c (the upper reference of oracle capture). */
export function oracleAtBudget(truth: ScoreMatrix, budgetPerUser: number): TrueValueResult {
  return trueValueAtBudget(truth, truth, budgetPerUser);
}

function meanAt(values: ArrayLike<number>, n: number, m: number, assignment: Int32Array): number {
  if (n === 0) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i * m + assignment[i]!]!;
  return s / n;
}

function perUser(total: number, n: number): number {
  return n === 0 ? 0 : total / n;
}
