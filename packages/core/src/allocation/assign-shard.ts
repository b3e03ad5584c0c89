import type { ScoreMatrix } from '@bidfcl/contracts';
import { segmentSlope } from './hull.js';
import { lambdaBin } from './lambda-bins.js';
import type { ShardHulls } from './shard-scan.js';
import type { AllocationThreshold } from './threshold.js';
import { tieKeyLookup, type TieKeys } from './tie-key.js';

/**
 * Last pass over a shard: each user's arm under the threshold (docs/method.md §7). Walking up the user's hull,
 * an upgrade (λ, tie key) is taken iff λ > λ*, or λ = λ* and tie key < tieKey*; slopes decrease along the
 * hull, so the walk stops at the first upgrade not taken. Only upgrades in λ*'s bin need their λ (recomputed with
 * the scan's expression, so bit-identical to the value the rounds compared); the others are decided by their bin.
 */
export function assignShard(
  scores: ScoreMatrix,
  hulls: ShardHulls,
  tieKeys: TieKeys,
  threshold: Pick<AllocationThreshold, 'lambda' | 'tieKey'>,
): Int32Array {
  const { n, m, r, c } = scores;
  if (hulls.n !== n || hulls.m !== m) throw new Error(`assignShard: hulls ${hulls.n}×${hulls.m} vs scores ${n}×${m}`);
  const keyOf = tieKeyLookup(tieKeys, n, 'assignShard');
  const { lambda, tieKey } = threshold;
  const bin = lambdaBin(lambda);
  const { size, arms, bins } = hulls;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = i * m;
    const h = size[i]!;
    let q = 1;
    for (; q < h; q++) {
      const b = bins[row + q]!;
      if (b > bin) continue; // λ above λ*'s bin: taken
      if (b < bin) break;
      const l = segmentSlope(r, c, row, arms[row + q - 1]!, arms[row + q]!);
      if (!(l > lambda || (l === lambda && keyOf(i) < tieKey))) break;
    }
    out[i] = arms[row + q - 1]!;
  }
  return out;
}

/** Per-user predictions of an assignment, and their uplift against arm 0 (for a decisions file). */
export interface PredictedOutcomes {
  revenue: Float64Array;
  cost: Float64Array;
  /** r̂_i,arm − r̂_i,0 */
  upliftRevenue: Float64Array;
  /** ĉ_i,arm − ĉ_i,0 */
  upliftCost: Float64Array;
}

/** Reads each user's predicted revenue and cost at its assigned arm, and the differences to arm 0. */
export function predictedOutcomes(scores: ScoreMatrix, assignment: Int32Array): PredictedOutcomes {
  const { n, m, r, c } = scores;
  if (assignment.length !== n) throw new Error(`predictedOutcomes: ${assignment.length} arms for ${n} users`);
  const out: PredictedOutcomes = {
    revenue: new Float64Array(n),
    cost: new Float64Array(n),
    upliftRevenue: new Float64Array(n),
    upliftCost: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const row = i * m;
    const a = assignment[i]!;
    if (!(a >= 0 && a < m)) throw new Error(`predictedOutcomes: user ${i} has arm ${a}, expected 0…${m - 1}`);
    out.revenue[i] = r[row + a]!;
    out.cost[i] = c[row + a]!;
    out.upliftRevenue[i] = r[row + a]! - r[row]!;
    out.upliftCost[i] = c[row + a]! - c[row]!;
  }
  return out;
}
