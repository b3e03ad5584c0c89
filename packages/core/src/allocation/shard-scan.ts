import type { ScoreMatrix } from '@bidfcl/contracts';
import { assertScoreMatrix } from './decide.js';
import { ExactSums } from './exact-sum.js';
import { segmentSlope, upperHull } from './hull.js';
import { LAMBDA_BINS, lambdaBin } from './lambda-bins.js';

/**
 * Every user's hull arms in one shard, kept by the shard between the rounds so that the fine round and the
 * assignment re-read the scores without sorting arms again. O(n·m) bytes.
 */
export interface ShardHulls {
  n: number;
  m: number;
  /** Hull size h_i ≥ 1 per user. */
  size: Uint8Array;
  /** Hull arms of user i at i·m … i·m + h_i − 1, cheapest first (arm at λ = +∞ first). */
  arms: Uint8Array;
}

/**
 * The compact summary a shard sends to the coarse round (docs/method.md §7): O(LAMBDA_BINS), whatever the
 * shard's size. Costs are exact sums, so merged summaries do not depend on the sharding.
 */
export interface ShardSummary {
  users: number;
  /** Hull steps (upgrades) of all users. */
  upgrades: number;
  /**
   * Accumulator 0: Σ_i c_i,base. Accumulator 1 + b: Σ (c_to − c_from) over the upgrades whose λ falls in bin b,
   * exactly, so base plus the upgrades taken is exactly the cost of the chosen arms.
   */
  cost: ExactSums;
  /** Upgrades per bin. */
  counts: Float64Array;
  /** Σ_i r_i,base (plain double sum; for reporting). */
  baseRevenue: number;
  /** The largest single upgrade cost Δc (0 without upgrades). */
  maxUpgradeCost: number;
}

/** The result of {@link scanShard}: kept hulls plus the summary to send. */
export interface ShardScan {
  hulls: ShardHulls;
  summary: ShardSummary;
}

/** Accumulator index of the base cost in {@link ShardSummary.cost}; bin b is at 1 + b. */
export const BASE_COST = 0;

/**
 * One pass over a shard's scores: each user's hull (the same code as the single-process path), then the
 * base cost and the histogram of upgrade costs over the fixed λ bins. Zero-cost arms must already have
 * ĉ = 0. Upgrades have Δc > 0 and λ = Δr/Δc > 0 (0 or +∞ only when the division under- or overflows).
 */
export function scanShard(scores: ScoreMatrix): ShardScan {
  assertScoreMatrix(scores);
  const { n, m, r, c } = scores;
  if (m > 256) throw new Error(`scanShard: at most 256 arms are supported, got ${m}`);
  const size = new Uint8Array(n);
  const hullArms = new Uint8Array(n * m);
  const cost = new ExactSums(1 + LAMBDA_BINS);
  const counts = new Float64Array(LAMBDA_BINS);
  let baseRevenue = 0;
  let maxUpgradeCost = 0;
  let upgrades = 0;
  const arms = new Int32Array(m);
  const hull = new Int32Array(m);
  for (let i = 0; i < n; i++) {
    const row = i * m;
    const h = upperHull(r, c, row, m, arms, hull);
    size[i] = h;
    for (let q = 0; q < h; q++) hullArms[row + q] = hull[q]!;
    cost.add(BASE_COST, c[row + hull[0]!]!);
    baseRevenue += r[row + hull[0]!]!;
    for (let q = 1; q < h; q++) {
      const a0 = hull[q - 1]!;
      const a1 = hull[q]!;
      const lambda = segmentSlope(r, c, row, a0, a1);
      const c0 = c[row + a0]!;
      const c1 = c[row + a1]!;
      const dc = c1 - c0;
      if (!(lambda >= 0) || !(dc < Infinity)) {
        throw new Error(`scanShard: user ${i}, arms ${a0}→${a1}: scores too large for doubles (λ ${lambda}, Δc ${dc})`);
      }
      const bin = lambdaBin(lambda);
      // Σ Δc must equal Σ c at the chosen arms exactly: add the rounding error of c1 − c0 too (Knuth's TwoSum).
      const z = dc - c1;
      const err = c1 - (dc - z) - (c0 + z);
      cost.add(1 + bin, dc);
      if (err !== 0) cost.add(1 + bin, err);
      counts[bin]! += 1;
      if (dc > maxUpgradeCost) maxUpgradeCost = dc;
    }
    upgrades += h - 1;
  }
  return {
    hulls: { n, m, size, arms: hullArms },
    summary: { users: n, upgrades, cost, counts, baseRevenue, maxUpgradeCost },
  };
}

/** The population's summary: sums of the shards' (exact for costs, so the order of shards does not matter). */
export function mergeSummaries(parts: readonly ShardSummary[]): ShardSummary {
  const cost = new ExactSums(1 + LAMBDA_BINS);
  const counts = new Float64Array(LAMBDA_BINS);
  let users = 0;
  let upgrades = 0;
  let baseRevenue = 0;
  let maxUpgradeCost = 0;
  for (const p of parts) {
    for (let k = 0; k <= LAMBDA_BINS; k++) if (k === BASE_COST || p.counts[k - 1]! > 0) cost.addSum(k, p.cost, k);
    for (let b = 0; b < LAMBDA_BINS; b++) counts[b]! += p.counts[b]!;
    users += p.users;
    upgrades += p.upgrades;
    baseRevenue += p.baseRevenue;
    maxUpgradeCost = Math.max(maxUpgradeCost, p.maxUpgradeCost);
  }
  return { users, upgrades, cost, counts, baseRevenue, maxUpgradeCost };
}
