import type { BinBreakpoints } from './bin-breakpoints.js';
import type { ExactSums } from './exact-sum.js';
import { LAMBDA_BINS, lambdaBinEdges } from './lambda-bins.js';
import { BASE_COST, type ShardSummary } from './shard-scan.js';

/**
 * The population's decision rule (docs/method.md §7): a user's upgrade with breakpoint λ and tie key t is
 * taken iff (λ, t) comes strictly before (lambda, tieKey) in the order "λ descending, then tie key
 * ascending"; i.e. λ > lambda, or λ = lambda and t < tieKey.
 */
export interface AllocationThreshold {
  /** 'infeasible': the cheapest arms exceed the budget; 'unconstrained': the revenue-maximising arms fit. */
  status: 'infeasible' | 'unconstrained' | 'constrained';
  /** λ*: +∞ when infeasible, 0 when unconstrained. */
  lambda: number;
  /** Upgrades at exactly λ* are taken when their tie key is below this (−∞ when infeasible, +∞ unconstrained). */
  tieKey: number;
  /** The tie quota: how many upgrades at exactly λ* are taken. */
  quota: number;
  /** The budget, total money. */
  budget: number;
  /** Predicted total cost of the decisions (an exact sum, rounded once). */
  cost: number;
  /** The cost at λ = +∞ (everyone on the cheapest arm) and at λ = 0 (everyone on the costliest hull arm). */
  baseCost: number;
  topCost: number;
}

/** What the coarse round decides: the answer, or the bin whose upgrades the fine round must list. */
export type CoarseRound =
  | { kind: 'done'; threshold: AllocationThreshold }
  | {
      kind: 'bin';
      bin: number;
      /** Upgrades the shards must list in total (a check that every shard answered). */
      count: number;
      /** Exact cost of everything above the bin: base cost plus every upgrade with λ ≥ the bin's upper edge. */
      costAbove: ExactSums;
      budget: number;
      baseCost: number;
      topCost: number;
    };

/**
 * Coarse round: walks the merged histogram from the highest λ bin down and finds the bin in which the total
 * cost C(λ) first exceeds the budget. Every comparison is exact. A budget below the base cost is infeasible;
 * one at or above the top cost is unconstrained (λ* = 0). Neither throws: the caller reports them.
 */
export function coarseRound(summary: ShardSummary, budget: number): CoarseRound {
  if (Number.isNaN(budget)) throw new Error('coarseRound: budget is NaN');
  const { cost, counts } = summary;
  const running = cost.extract(BASE_COST);
  const baseCost = running.toNumber(0);
  const top = running.extract(0);
  for (let b = 0; b < LAMBDA_BINS; b++) if (counts[b]! > 0) top.addSum(0, cost, 1 + b);
  const topCost = top.toNumber(0);
  const done = (status: AllocationThreshold['status']): CoarseRound => {
    const infeasible = status === 'infeasible';
    return {
      kind: 'done',
      threshold: {
        status,
        lambda: infeasible ? Infinity : 0,
        tieKey: infeasible ? -Infinity : Infinity,
        quota: 0,
        budget,
        cost: infeasible ? baseCost : topCost,
        baseCost,
        topCost,
      },
    };
  };
  // ±∞ budgets compare without the exact sums (which take finite values only).
  if (budget === -Infinity || (budget !== Infinity && running.compare(0, budget) > 0)) return done('infeasible');
  if (budget === Infinity || top.compare(0, budget) <= 0) return done('unconstrained');
  for (let b = LAMBDA_BINS - 1; b >= 0; b--) {
    if (counts[b] === 0) continue;
    const below = running.extract(0);
    below.addSum(0, cost, 1 + b);
    if (below.compare(0, budget) > 0)
      return { kind: 'bin', bin: b, count: counts[b]!, costAbove: running, budget, baseCost, topCost };
    running.addSum(0, cost, 1 + b);
  }
  throw new Error('coarseRound: the histogram does not add up to the top cost (internal error)');
}

/**
 * Fine round: sorts the listed upgrades of the coarse round's bin by (λ descending, tie key ascending) and
 * takes them in that order, starting from the exact cost above the bin, while the total stays ≤ budget.
 * The first that does not fit sets the threshold (λ*, tie key*). Upgrades with the same λ and tie key
 * (users whose tie keys collide) are one group, taken or left together, so no position-dependent key is ever
 * needed. Costs are accumulated exactly; a double shadow of the running cost skips the exact comparison
 * wherever it is far from the budget.
 */
export function fineRound(
  coarse: Extract<CoarseRound, { kind: 'bin' }>,
  lists: readonly BinBreakpoints[],
): AllocationThreshold {
  const { bin, budget } = coarse;
  const total = lists.reduce((s, l) => s + l.lambda.length, 0);
  if (total !== coarse.count)
    throw new Error(`fineRound: ${total} upgrades listed in bin ${bin}, the summaries hold ${coarse.count}`);
  const lambda = new Float64Array(total);
  const costTo = new Float64Array(total);
  const costFrom = new Float64Array(total);
  const tieKey = new Float64Array(total);
  let k = 0;
  const { lower, upper } = lambdaBinEdges(bin);
  for (const l of lists) {
    for (let p = 0; p < l.lambda.length; p++, k++) {
      const x = l.lambda[p]!;
      if (!(x >= lower && (x < upper || upper === Infinity))) throw new Error(`fineRound: λ ${x} outside bin ${bin}`);
      lambda[k] = x;
      costTo[k] = l.costTo[p]!;
      costFrom[k] = l.costFrom[p]!;
      tieKey[k] = l.tieKey[p]!;
      if (Number.isNaN(tieKey[k])) throw new Error('fineRound: a tie key is NaN');
    }
  }
  // The order inside a group (equal λ and tie key) does not matter: its sum is exact in any order.
  const order = new Uint32Array(total).map((_, q) => q);
  order.sort((a, b) => lambda[b]! - lambda[a]! || tieKey[a]! - tieKey[b]!);

  const running = coarse.costAbove.extract(0);
  let shadow = running.toNumber(0);
  let quota = 0; // upgrades taken so far at the current group's λ
  let pos = 0;
  while (pos < total) {
    const q0 = order[pos]!;
    const l = lambda[q0]!;
    const t = tieKey[q0]!;
    if (pos > 0 && l !== lambda[order[pos - 1]!]) quota = 0;
    let end = pos;
    let groupCost = 0;
    while (end < total && lambda[order[end]!] === l && tieKey[order[end]!] === t) {
      const q = order[end++]!;
      running.add(0, costTo[q]!);
      running.add(0, -costFrom[q]!);
      groupCost += costTo[q]! - costFrom[q]!;
    }
    // The shadow's rounding error is far below 1e-6 relative (fewer than 2^30 additions of positive terms).
    const margin = 1e-6 * Math.max(Math.abs(budget), Math.abs(shadow + groupCost));
    const fits = shadow + groupCost < budget - margin || running.compare(0, budget) <= 0;
    if (!fits) {
      for (let p = pos; p < end; p++) {
        running.add(0, -costTo[order[p]!]!);
        running.add(0, costFrom[order[p]!]!);
      }
      return {
        status: 'constrained',
        lambda: l,
        tieKey: t,
        quota,
        budget,
        cost: running.toNumber(0),
        baseCost: coarse.baseCost,
        topCost: coarse.topCost,
      };
    }
    shadow += groupCost;
    quota += end - pos;
    pos = end;
  }
  throw new Error(`fineRound: every upgrade of bin ${bin} fits, the coarse round said they do not (internal error)`);
}
