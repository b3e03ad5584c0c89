import type { ScoreMatrix } from '@bidfcl/contracts';
import { eomAtBudget, ipwRandomReference, ipwUniformRandomCost, type RctOutcomes } from '@bidfcl/core';

/** One budget's EOM (docs/method.md §4) with the IPW-estimated random policy at the same budget for reference. */
export interface EomBudgetRow {
  /** Budget as a fraction of the uniform random assignment's IPW cost per user. */
  fraction: number;
  /** Budget per user (cost units). */
  budget: number;
  lambda: number;
  /** IPW revenue per user of the decisions at λ. */
  eom: number;
  /** IPW cost per user of those decisions (≈ budget unless the budget cannot be met). */
  cost: number;
  /** The 'random' policy (a uniformly random arm with probability q, else arm 0), RCT estimate. */
  random: { eom: number; cost: number };
}

/** Arm shares of the table: the assignment probabilities when none are given. */
export function empiricalPropensities(arm: Int32Array, m: number): number[] {
  const counts = new Array<number>(m).fill(0);
  for (const j of arm) counts[j]! += 1;
  return counts.map((c) => c / arm.length);
}

/**
 * The score matrix of a single ranking score on two arms: r = (0, ρ_i), c = (0, 1) with
 * ρ_i = (1 + #{k : s_k < s_i}) / n ∈ (0, 1]. Deciding at λ treats exactly the users with ρ_i > λ, i.e. the
 * top of the ranking (ties together), so EOM's λ search becomes "treat the best-ranked users until the
 * IPW cost meets the budget". Only the order of the scores matters, not their scale or sign.
 */
export function rankingScoreMatrix(score: Float64Array): ScoreMatrix {
  const n = score.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a]! - score[b]! || 0);
  const r = new Float64Array(2 * n);
  const c = new Float64Array(2 * n);
  let below = 0;
  for (let p = 0; p < n; p++) {
    if (p > 0 && score[order[p]!]! > score[order[p - 1]!]!) below = p;
    const i = order[p]!;
    r[2 * i + 1] = (1 + below) / n;
    c[2 * i + 1] = 1;
  }
  return { n, m: 2, r, c };
}

/**
 * EOM at each budget. Budgets are fractions of the uniform random assignment's IPW cost per user, or with
 * `absolute` per-user amounts. A budget that even the cheapest decisions exceed gets a warning (its row shows
 * the cost actually spent).
 */
export function eomAtBudgets(
  scores: ScoreMatrix,
  rct: RctOutcomes,
  budgets: number[],
  absolute: boolean,
): { randomCost: number; rows: EomBudgetRow[]; warnings: string[] } {
  const randomCost = ipwUniformRandomCost(rct);
  const warnings: string[] = [];
  const rows = budgets.map((b) => {
    const budget = absolute ? b : b * randomCost;
    const res = eomAtBudget(scores, rct, budget);
    const random = ipwRandomReference(rct, budget);
    if (res.cost > budget * (1 + 1e-3) + 1e-12)
      warnings.push(
        `budget ${budget.toPrecision(4)} per user cannot be met: ` +
          `the cheapest decisions the scores allow cost ${res.cost.toPrecision(4)} per user (IPW)`,
      );
    return {
      fraction: randomCost > 0 ? budget / randomCost : Number.NaN,
      budget,
      lambda: res.lambda,
      eom: res.eom,
      cost: res.cost,
      random: { eom: random.value, cost: random.cost },
    };
  });
  return { randomCost, rows, warnings };
}
