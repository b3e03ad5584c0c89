import type { ScoreMatrix } from '@bidfcl/contracts';
import { decide } from './decide.js';

/** Outcomes of a randomised experiment: the arm each user got, what it earned and cost, and p_j per arm. */
export interface RctOutcomes {
  arm: Int32Array;
  revenue: Float64Array;
  cost: Float64Array;
  /** Assignment probability of each arm (length m). */
  propensities: ArrayLike<number>;
}

/** IPW means per user of a policy's revenue and cost. */
export interface IpwValue {
  revenue: number;
  cost: number;
}

/**
 * IPW value of the decisions ĵ(λ) (docs/method.md §3.3): (1/N) Σ_i y_i / p_{t_i} · 1[t_i = ĵ_i(λ)], for revenue
 * and cost.
 */
export function ipwValueAtLambda(scores: ScoreMatrix, rct: RctOutcomes, lambda: number): IpwValue {
  checkRct(scores, rct);
  return ipwOfDecisions(decide(scores, lambda), rct);
}

/** IPW means of fixed decisions. */
export function ipwOfDecisions(decisions: Int32Array, rct: RctOutcomes): IpwValue {
  const n = rct.arm.length;
  if (n === 0) return { revenue: 0, cost: 0 };
  let revenue = 0;
  let cost = 0;
  for (let i = 0; i < n; i++) {
    const t = rct.arm[i]!;
    if (decisions[i] !== t) continue;
    const w = 1 / rct.propensities[t]!;
    revenue += w * rct.revenue[i]!;
    cost += w * rct.cost[i]!;
  }
  return { revenue: revenue / n, cost: cost / n };
}

/**
 * Doubly robust means of fixed decisions (docs/method.md §4, "Doubly robust validation"): with a direct model
 * μ̂(x, j) of each arm's mean revenue and cost (same layout as scores),
 * (1/N) Σ_i [ μ̂(x_i, ĵ_i) + 1[t_i = ĵ_i] / p_{t_i} · (y_i − μ̂(x_i, t_i)) ].
 * Unbiased for any μ̂ fixed independently of these rows (the correction has mean zero given x); its variance is
 * that of the residuals y − μ̂ rather than of y, so the better μ̂, the less noise. μ̂ ≡ 0 gives the IPW means.
 */
export function drOfDecisions(decisions: Int32Array, rct: RctOutcomes, direct: ScoreMatrix): IpwValue {
  const n = rct.arm.length;
  if (direct.n !== n) throw new Error(`direct model has ${direct.n} users, RCT outcomes ${n}`);
  if (n === 0) return { revenue: 0, cost: 0 };
  const m = direct.m;
  let revenue = 0;
  let cost = 0;
  for (let i = 0; i < n; i++) {
    const j = decisions[i]!;
    revenue += direct.r[i * m + j]!;
    cost += direct.c[i * m + j]!;
    const t = rct.arm[i]!;
    if (j !== t) continue;
    const w = 1 / rct.propensities[t]!;
    revenue += w * (rct.revenue[i]! - direct.r[i * m + t]!);
    cost += w * (rct.cost[i]! - direct.c[i * m + t]!);
  }
  return { revenue: revenue / n, cost: cost / n };
}

/** Options of the λ bisection. */
export interface IpwLambdaOptions {
  /**
   * Stop as soon as |B/N − c̄(λ)| < tol. Default 1e-3 · |B/N| (0.1 % of the budget): finer than the IPW
   * noise of any test split we evaluate on, coarse enough to stop early on smooth (large-N) data.
   */
  tol?: number;
  /** Bisection steps (default 60: the bracket shrinks to machine precision). */
  maxIter?: number;
  /** A direct model's means per user and arm: the values are then doubly robust ({@link drOfDecisions}). */
  direct?: ScoreMatrix;
}

/** λ chosen for a budget on RCT data, with the IPW revenue and cost of its decisions. */
export interface IpwLambdaResult {
  lambda: number;
  revenue: number;
  cost: number;
}

/**
 * docs/method.md §3.3 / paper Alg. 2: bisection on λ ∈ [0, λmax], λmax = max r̂_ij/ĉ_ij over ĉ_ij > 0, for the IPW
 * cost c̄(λ) to meet the budget per user. c̄ is a noisy step function (not even monotone: a user moved to a
 * cheaper arm may be one whose factual arm is that cheaper arm), so an exact match is often impossible:
 * then the evaluated λ whose c̄ is closest to the budget from below is returned. If c̄(0) is already within
 * budget (or within tol above it), λ = 0. If even λmax spends too much (no zero-cost arm), λ is doubled up
 * to 64 times; failing that the largest λ tried is returned (the cheapest decisions found).
 */
export function ipwLambda(
  scores: ScoreMatrix,
  rct: RctOutcomes,
  budgetPerUser: number,
  opts: IpwLambdaOptions = {},
): IpwLambdaResult {
  checkRct(scores, rct);
  const target = budgetPerUser;
  const tol = opts.tol ?? 1e-3 * Math.abs(target);
  const maxIter = opts.maxIter ?? 60;
  const buf = new Int32Array(scores.n);
  const direct = opts.direct;
  if (direct && (direct.n !== scores.n || direct.m !== scores.m))
    throw new Error(`direct model is ${direct.n} × ${direct.m}, scores ${scores.n} × ${scores.m}`);
  const valueOf = (d: Int32Array) => (direct ? drOfDecisions(d, rct, direct) : ipwOfDecisions(d, rct));
  const at = (lambda: number): IpwLambdaResult => ({ lambda, ...valueOf(decide(scores, lambda, buf)) });

  const zero = at(0);
  if (zero.cost < target + tol) return zero;

  let lambdaMax = 0;
  for (let k = 0; k < scores.r.length; k++) {
    const c = scores.c[k]!;
    if (c > 0) lambdaMax = Math.max(lambdaMax, scores.r[k]! / c);
  }
  // Just above λmax every positive-cost arm scores below 0 (strictly, so no tie keeps a costly arm).
  let hiLambda = lambdaMax > 0 ? lambdaMax * (1 + 1e-9) + Number.MIN_VALUE : 1;
  let hi = at(hiLambda);
  for (let t = 0; t < 64 && hi.cost > target && Math.abs(hi.cost - target) >= tol; t++) {
    hiLambda *= 2;
    hi = at(hiLambda);
  }
  if (Math.abs(hi.cost - target) < tol) return hi;
  if (hi.cost > target) return hi;

  let best = hi; // closest to the budget from below so far
  let lo = 0;
  let up = hiLambda;
  for (let it = 0; it < maxIter; it++) {
    const mid = 0.5 * (lo + up);
    if (mid <= lo || mid >= up) break;
    const e = at(mid);
    if (Math.abs(e.cost - target) < tol) return e;
    if (e.cost > target) lo = mid;
    else {
      up = mid;
      if (e.cost > best.cost) best = e;
    }
  }
  return best;
}

/** The EOM at a budget (docs/method.md §4): ipwLambda's λ and the IPW revenue r̄(λ) of its decisions. */
export function eomAtBudget(
  scores: ScoreMatrix,
  rct: RctOutcomes,
  budgetPerUser: number,
  opts: IpwLambdaOptions = {},
): { lambda: number; eom: number; cost: number } {
  const res = ipwLambda(scores, rct, budgetPerUser, opts);
  return { lambda: res.lambda, eom: res.revenue, cost: res.cost };
}

function checkRct(scores: ScoreMatrix, rct: RctOutcomes): void {
  const n = rct.arm.length;
  if (scores.n !== n || rct.revenue.length !== n || rct.cost.length !== n) {
    throw new Error(`RCT outcomes (${n} rows) do not match scores (${scores.n} users)`);
  }
  if (rct.propensities.length !== scores.m) {
    throw new Error(`RCT has ${rct.propensities.length} propensities for ${scores.m} arms`);
  }
  for (let j = 0; j < scores.m; j++) {
    const p = rct.propensities[j]!;
    if (!(p > 0 && p <= 1)) throw new Error(`propensity of arm ${j} must be in (0, 1], got ${p}`);
  }
  for (let i = 0; i < n; i++) {
    const t = rct.arm[i]!;
    if (!(t >= 0 && t < scores.m)) throw new Error(`RCT row ${i} has arm ${t} outside 0..${scores.m - 1}`);
  }
}
