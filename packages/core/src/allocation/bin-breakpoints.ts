import type { ScoreMatrix } from '@bidfcl/contracts';
import { segmentSlope } from './hull.js';
import type { ShardScan } from './shard-scan.js';
import { tieKeyLookup, type TieKeys } from './tie-key.js';

/** A shard's upgrades whose λ falls in one bin: what it sends to the fine round (docs/method.md §7). */
export interface BinBreakpoints {
  /** λ of each upgrade (the slope of its hull segment). */
  lambda: Float64Array;
  /** The costs of its upper and lower arm: the increment is exactly costTo − costFrom > 0. */
  costTo: Float64Array;
  costFrom: Float64Array;
  /** Its user's tie key. */
  tieKey: Float64Array;
}

/**
 * Second pass over a shard: the upgrades in `bin`, found from the kept hulls' bins, with λ recomputed from the
 * scores by the scan's expression (so bit-identical to what was binned). Shard-local user indices
 * are not sent: the threshold the fine round returns applies to (λ, tie key) alone.
 */
export function listBinBreakpoints(
  scores: ScoreMatrix,
  scan: ShardScan,
  tieKeys: TieKeys,
  bin: number,
): BinBreakpoints {
  const { n, m, r, c } = scores;
  const { size, arms, bins } = scan.hulls;
  if (scan.hulls.n !== n || scan.hulls.m !== m) {
    throw new Error(`listBinBreakpoints: hulls ${scan.hulls.n}×${scan.hulls.m} vs scores ${n}×${m}`);
  }
  const keyOf = tieKeyLookup(tieKeys, n, 'listBinBreakpoints');
  const count = scan.summary.counts[bin] ?? 0;
  const lambda = new Float64Array(count);
  const costTo = new Float64Array(count);
  const costFrom = new Float64Array(count);
  const tieKey = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < n && k < count; i++) {
    const row = i * m;
    const h = size[i]!;
    for (let q = 1; q < h; q++) {
      const b = bins[row + q]!;
      if (b > bin) continue;
      if (b < bin) break; // slopes decrease along the hull: the rest of this user's upgrades are below the bin
      const a0 = arms[row + q - 1]!;
      const a1 = arms[row + q]!;
      lambda[k] = segmentSlope(r, c, row, a0, a1);
      costTo[k] = c[row + a1]!;
      costFrom[k] = c[row + a0]!;
      tieKey[k] = keyOf(i);
      k++;
    }
  }
  if (k !== count) throw new Error(`listBinBreakpoints: found ${k} upgrades in bin ${bin}, the scan counted ${count}`);
  return { lambda, costTo, costFrom, tieKey };
}
