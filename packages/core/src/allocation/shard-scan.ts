import type { ScoreMatrix } from '@bidfcl/contracts';
import { ExactSums } from './exact-sum.js';
import { hullScratch, upperHull } from './hull.js';
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
  /**
   * λ bin of each upgrade: bins[i·m + q] for the step from arms[i·m + q − 1] to arms[i·m + q] (q ≥ 1). Lets the
   * fine round and the assignment skip every upgrade outside λ*'s bin without reading the scores.
   */
  bins: Uint16Array;
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
  const { n, m, r, c } = scores;
  if (!(Number.isInteger(n) && n >= 0 && Number.isInteger(m) && m >= 1 && r.length === n * m && c.length === n * m)) {
    throw new Error(`scanShard: bad score matrix n=${n}, m=${m}, r/c lengths ${r.length}/${c.length}`);
  }
  if (m > 256) throw new Error(`scanShard: at most 256 arms are supported, got ${m}`);
  const size = new Uint8Array(n);
  const hullArms = new Uint8Array(n * m);
  const bins = new Uint16Array(n * m);
  const cost = new ExactSums(1 + LAMBDA_BINS);
  const counts = new Float64Array(LAMBDA_BINS);
  let baseRevenue = 0;
  let maxUpgradeCost = 0;
  let upgrades = 0;
  const hull = hullScratch(m);
  const hc = hull.c;
  for (let i = 0; i < n; i++) {
    const row = i * m;
    let nonFinite = 0; // x · 0 is NaN exactly when x is ±∞ or NaN
    for (let j = 0; j < m; j++) nonFinite += r[row + j]! * 0 + c[row + j]! * 0;
    if (nonFinite !== 0) throw nonFiniteScore(i);
    const h = upperHull(r, c, row, m, hull);
    size[i] = h;
    hullArms[row] = hull.arms[0]!;
    baseRevenue += hull.r[0]!;
    // q = 0 adds the base cost, q ≥ 1 an upgrade: one call site of cost.add leaves V8 room to inline the hull too.
    for (let q = 0; q < h; q++) {
      let k = BASE_COST;
      let x = hc[0]!;
      if (q > 0) {
        hullArms[row + q] = hull.arms[q]!;
        const lambda = hull.slope[q]!;
        const c0 = hc[q - 1]!;
        const c1 = hc[q]!;
        x = c1 - c0;
        if (!(lambda >= 0) || !(x < Infinity)) throw tooLarge(i, lambda, x);
        const bin = lambdaBin(lambda);
        bins[row + q] = bin;
        counts[bin]! += 1;
        if (x > maxUpgradeCost) maxUpgradeCost = x;
        k = 1 + bin;
        // Σ Δc must equal Σ c at the chosen arms exactly: add the rounding error of c1 − c0 too (Knuth's TwoSum).
        const z = x - c1;
        const err = c1 - (x - z) - (c0 + z);
        if (err !== 0) addRoundingError(cost, k, err);
      }
      cost.add(k, x);
    }
    upgrades += h - 1;
  }
  return {
    hulls: { n, m, size, arms: hullArms, bins },
    summary: { users: n, upgrades, cost, counts, baseRevenue, maxUpgradeCost },
  };
}

// Error builders outside the scan loop keep its function small enough for V8 to inline the hull and the adds.
const nonFiniteScore = (i: number) => new Error(`scanShard: non-finite score for user ${i}`);
const tooLarge = (i: number, lambda: number, dc: number) =>
  new Error(`scanShard: user ${i}: scores too large for doubles (λ ${lambda}, Δc ${dc})`);

/** Rarely needed (c1 − c0 is exact when c0 ≥ c1/2), so kept out of the scan loop's inlined code. */
function addRoundingError(cost: ExactSums, k: number, err: number): void {
  cost.add(k, err);
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
