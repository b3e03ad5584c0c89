import { ExactSums } from './exact-sum.js';
import { LAMBDA_BINS } from './lambda-bins.js';
import type { ShardSummary } from './shard-scan.js';

/**
 * A {@link ShardSummary} as plain JSON, exact: costs as the accumulators' limbs (integers below 2^53, which JSON
 * numbers carry exactly), bins sparse (a shard touches few of the LAMBDA_BINS).
 */
export interface ShardSummaryJson {
  users: number;
  upgrades: number;
  baseRevenue: number;
  maxUpgradeCost: number;
  /** [bin, upgrades] for every non-empty bin. */
  counts: [number, number][];
  /** [accumulator, limbs] for every non-zero cost accumulator (0: base cost, 1 + b: bin b). */
  cost: [number, number[]][];
}

const isZero = (limbs: Float64Array) => limbs.every((v) => v === 0);

/** Serialises a shard's summary for the solve step (another process). */
export function shardSummaryToJson(s: ShardSummary): ShardSummaryJson {
  const counts: [number, number][] = [];
  const cost: [number, number[]][] = [];
  for (let k = 0; k <= LAMBDA_BINS; k++) {
    const limbs = s.cost.limbsOf(k);
    if (!isZero(limbs)) cost.push([k, Array.from(limbs)]);
    if (k < LAMBDA_BINS && s.counts[k]! > 0) counts.push([k, s.counts[k]!]);
  }
  return {
    users: s.users,
    upgrades: s.upgrades,
    baseRevenue: s.baseRevenue,
    maxUpgradeCost: s.maxUpgradeCost,
    counts,
    cost,
  };
}

/** The inverse of {@link shardSummaryToJson}; `what` names the source in errors. */
export function shardSummaryFromJson(j: ShardSummaryJson, what = 'shard summary'): ShardSummary {
  const cost = new ExactSums(1 + LAMBDA_BINS);
  const counts = new Float64Array(LAMBDA_BINS);
  for (const [k, limbs] of j.cost) {
    if (!(Number.isInteger(k) && k >= 0 && k <= LAMBDA_BINS)) throw new Error(`${what}: bad cost accumulator ${k}`);
    cost.setLimbs(k, limbs);
  }
  for (const [b, n] of j.counts) {
    if (!(Number.isInteger(b) && b >= 0 && b < LAMBDA_BINS)) throw new Error(`${what}: bad λ bin ${b}`);
    counts[b] = n;
  }
  return {
    users: j.users,
    upgrades: j.upgrades,
    baseRevenue: j.baseRevenue,
    maxUpgradeCost: j.maxUpgradeCost,
    cost,
    counts,
  };
}
