import type { ScoreMatrix } from '@bidfcl/contracts';
import { createRng } from '../rng.js';
import type { RctOutcomes } from './ipw.js';

/** Mean cost per user of the uniform random assignment on the truth: mean_i mean_j c_ij. */
export function uniformRandomCost(truth: ScoreMatrix): number {
  const { n, m, c } = truth;
  if (n === 0) return 0;
  let s = 0;
  for (let k = 0; k < n * m; k++) s += c[k]!;
  return s / (n * m);
}

/** The 'random' reference policy's expected value and cost per user. */
export interface RandomReference {
  /** Probability that a user gets a uniformly random arm (else arm 0). */
  q: number;
  value: number;
  cost: number;
}

/** Mean over users of column j of an n × m row-major matrix. */
function armColumnMean(v: Float64Array, n: number, m: number, j: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i * m + j]!;
  return s / n;
}

/** Mean cost per user of giving everyone arm 0 on the truth: mean_i c_i0. */
export function arm0MeanCost(truth: ScoreMatrix): number {
  return truth.n === 0 ? 0 : armColumnMean(truth.c, truth.n, truth.m, 0);
}

/**
 * Mixing probability q of the 'random' policy, the one both its allocation and its evaluation use: the q
 * with q·U + (1 − q)·C0 = B per user, clamped to [0, 1], where U is the uniform random assignment's cost
 * and C0 arm 0's. With arm 0 free (every coupon scenario) this is min(1, B / U); an arm 0 that costs
 * something (e.g. Hillstrom's visits) is spent on every user not drawn, so it comes off the budget first.
 * When random costs no more than arm 0 there is nothing to scale and q = 1.
 */
export function randomMixingProbability(budget: number, uniformCost: number, arm0Cost: number): number {
  if (uniformCost <= arm0Cost) return 1;
  return Math.min(1, Math.max(0, (budget - arm0Cost) / (uniformCost - arm0Cost)));
}

/**
 * Draws the 'random' policy for n users from a seeded stream: with probability q a uniformly random arm of
 * m, else arm 0.
 */
export function sampleRandomPolicy(n: number, m: number, q: number, seed: number): Int32Array {
  const rng = createRng(seed);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.next() < q ? rng.int(m) : 0;
  return out;
}

/**
 * The 'random' method (docs/method.md §3): each user gets a uniformly random arm with probability q and arm 0
 * otherwise, q scaled to the budget. Returns its exact EXPECTED true value and cost per user (no sampling):
 * value = q · mean_ij r_ij + (1 − q) · mean_i r_i0, likewise for cost.
 */
export function randomReference(truth: ScoreMatrix, budgetPerUser: number): RandomReference {
  const { n, m, r, c } = truth;
  if (n === 0) return { q: 0, value: 0, cost: 0 };
  let rAll = 0;
  let cAll = 0;
  for (let k = 0; k < n * m; k++) {
    rAll += r[k]!;
    cAll += c[k]!;
  }
  rAll /= n * m;
  cAll /= n * m;
  const r0 = armColumnMean(r, n, m, 0);
  const c0 = arm0MeanCost(truth);
  const q = randomMixingProbability(budgetPerUser, cAll, c0);
  return { q, value: q * rAll + (1 - q) * r0, cost: q * cAll + (1 - q) * c0 };
}

/** Per-arm sample means of revenue and cost on RCT rows (throws if an arm has no rows). */
function armMeans(rct: RctOutcomes): { m: number; revenue: Float64Array; cost: Float64Array } {
  const m = rct.propensities.length;
  const count = new Float64Array(m);
  const revenue = new Float64Array(m);
  const cost = new Float64Array(m);
  for (let i = 0; i < rct.arm.length; i++) {
    const t = rct.arm[i]!;
    if (!(t >= 0 && t < m)) throw new Error(`RCT row ${i} has arm ${t} outside 0..${m - 1}`);
    count[t]! += 1;
    revenue[t]! += rct.revenue[i]!;
    cost[t]! += rct.cost[i]!;
  }
  for (let j = 0; j < m; j++) {
    if (count[j] === 0) throw new Error(`RCT has no rows for arm ${j}`);
    revenue[j]! /= count[j]!;
    cost[j]! /= count[j]!;
  }
  return { m, revenue, cost };
}

/** RCT estimate of arm 0's cost per user: mean(y_c | t = 0). */
export function ipwArm0MeanCost(rct: RctOutcomes): number {
  return armMeans(rct).cost[0]!;
}

/** RCT estimate of the uniform random assignment's cost per user: Σ_j (1/M) · mean(y_c | t = j). */
export function ipwUniformRandomCost(rct: RctOutcomes): number {
  const { m, cost } = armMeans(rct);
  let s = 0;
  for (let j = 0; j < m; j++) s += cost[j]!;
  return s / m;
}

/**
 * RCT estimate of the 'random' policy of {@link randomReference}: per-arm means stand in for the true
 * arm averages, q is scaled to the budget with the estimated uniform cost.
 */
export function ipwRandomReference(rct: RctOutcomes, budgetPerUser: number): RandomReference {
  const { m, revenue, cost } = armMeans(rct);
  let rAll = 0;
  let cAll = 0;
  for (let j = 0; j < m; j++) {
    rAll += revenue[j]! / m;
    cAll += cost[j]! / m;
  }
  const r0 = revenue[0]!;
  const c0 = cost[0]!;
  const q = randomMixingProbability(budgetPerUser, cAll, c0);
  return { q, value: q * rAll + (1 - q) * r0, cost: q * cAll + (1 - q) * c0 };
}

/** Oracle capture (docs/method.md §4): (V − V_random) / (V_oracle − V_random); NaN when the oracle equals random. */
export function oracleCapture(v: number, vRandom: number, vOracle: number): number {
  const den = vOracle - vRandom;
  return den === 0 ? Number.NaN : (v - vRandom) / den;
}
