import type { ScoreMatrix } from '@bidfcl/contracts';
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

/**
 * Mixing probability of the random policy: spend q·U + (1 − q)·C0 = B, clamped to [0, 1]. With arm 0 free
 * (C0 = 0, every coupon scenario) this is q = min(1, B / U) as specified; the general form keeps the policy
 * on budget when arm 0 has a cost too (e.g. Hillstrom visits).
 */
function mixing(budget: number, uniform: number, arm0: number): number {
  if (uniform <= arm0) return 1; // random spends no more than arm 0: nothing to scale
  return Math.min(1, Math.max(0, (budget - arm0) / (uniform - arm0)));
}

/**
 * The 'random' method (METHOD §3): each user gets a uniformly random arm with probability q and arm 0
 * otherwise, q scaled to the budget. Returns its exact EXPECTED true value and cost per user (no sampling):
 * value = q · mean_ij r_ij + (1 − q) · mean_i r_i0, likewise for cost.
 */
export function randomReference(truth: ScoreMatrix, budgetPerUser: number): RandomReference {
  const { n, m, r, c } = truth;
  if (n === 0) return { q: 0, value: 0, cost: 0 };
  let rAll = 0;
  let cAll = 0;
  let r0 = 0;
  let c0 = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      rAll += r[i * m + j]!;
      cAll += c[i * m + j]!;
    }
    r0 += r[i * m]!;
    c0 += c[i * m]!;
  }
  rAll /= n * m;
  cAll /= n * m;
  r0 /= n;
  c0 /= n;
  const q = mixing(budgetPerUser, cAll, c0);
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
  const q = mixing(budgetPerUser, cAll, c0);
  return { q, value: q * rAll + (1 - q) * r0, cost: q * cAll + (1 - q) * c0 };
}

/** Oracle capture (METHOD §4): (V − V_random) / (V_oracle − V_random); NaN when the oracle equals random. */
export function oracleCapture(v: number, vRandom: number, vOracle: number): number {
  const den = vOracle - vRandom;
  return den === 0 ? Number.NaN : (v - vRandom) / den;
}
