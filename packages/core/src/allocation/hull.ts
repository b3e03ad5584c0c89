/** Scratch buffers and outputs of {@link upperHull} for users with m arms (reused across users). */
export interface HullScratch {
  /** Arms by cost ascending, revenue descending, index ascending (work space). */
  order: Int32Array;
  /** Output: hull arms, cheapest first. */
  arms: Int32Array;
  /** Output: slope[q] (q ≥ 1) is the λ of the segment from arms[q − 1] to arms[q]. */
  slope: Float64Array;
  /** Output: revenue and cost of each hull arm. */
  r: Float64Array;
  c: Float64Array;
}

/** Buffers for users with m arms. */
export function hullScratch(m: number): HullScratch {
  return {
    order: new Int32Array(m),
    arms: new Int32Array(m),
    slope: new Float64Array(m),
    r: new Float64Array(m),
    c: new Float64Array(m),
  };
}

/**
 * One user's upper convex hull of (c_ij, r_ij) points (docs/method.md §1): the only arms that can be
 * argmax_j (r_ij − λ c_ij) for some λ ≥ 0 under the tie rule "lower cost first, then lower index".
 *
 * Writes the hull into `s` (arms cheapest first, costs and revenues strictly increasing) and returns its size
 * h ≥ 1. s.arms[0] is the arm at λ = +∞ (lowest cost; among equal costs the highest revenue, then the lowest
 * index). s.slope[q] is the λ below which the user moves up from s.arms[q − 1] to s.arms[q]; slopes strictly
 * decrease along the hull (collinear middle points are dropped: they are never a strict argmax). Every slope
 * is (r_a1 − r_a0) / (c_a1 − c_a0), the expression of {@link segmentSlope}, so callers that recompute one get
 * the same bits.
 *
 * Shared by the single-process path and the per-shard scan, so both see identical hulls and slopes.
 *
 * @param row offset of the user's row in the n × m row-major arrays (i · m)
 */
export function upperHull(r: ArrayLike<number>, c: ArrayLike<number>, row: number, m: number, s: HullScratch): number {
  const { order, arms, slope } = s;
  const hr = s.r;
  const hc = s.c;
  // Arms by cost ascending, revenue descending, index ascending (insertion sort: m is small).
  for (let j = 0; j < m; j++) {
    let p = j;
    while (p > 0 && before(r, c, row, j, order[p - 1]!)) {
      order[p] = order[p - 1]!;
      p--;
    }
    order[p] = j;
  }
  let h = 0;
  for (let q = 0; q < m; q++) {
    const a = order[q]!;
    const ra = r[row + a]!;
    const ca = c[row + a]!;
    if (h > 0 && ra <= hr[h - 1]!) continue; // costs at least as much, earns no more
    let sa = 0;
    while (h > 0) {
      sa = (ra - hr[h - 1]!) / (ca - hc[h - 1]!);
      // The top stays when it is a strict corner: the slope into it exceeds the slope out of it to a.
      if (h === 1 || slope[h - 1]! > sa) break;
      h--; // on or under the chord from the point below it to a: never a strict argmax
    }
    arms[h] = a;
    hr[h] = ra;
    hc[h] = ca;
    slope[h] = sa;
    h++;
  }
  return h;
}

/**
 * The slope of the hull segment from arm a0 to arm a1 (> 0 for consecutive hull arms: both differences are
 * positive), with the same expression {@link upperHull} uses, so that recomputed slopes compare bit for bit.
 */
export function segmentSlope(r: ArrayLike<number>, c: ArrayLike<number>, row: number, a0: number, a1: number): number {
  return (r[row + a1]! - r[row + a0]!) / (c[row + a1]! - c[row + a0]!);
}

/** Sort key for the hull scan: cost ascending, then revenue descending, then index ascending. */
function before(r: ArrayLike<number>, c: ArrayLike<number>, row: number, a: number, b: number): boolean {
  const ca = c[row + a]!;
  const cb = c[row + b]!;
  if (ca !== cb) return ca < cb;
  const ra = r[row + a]!;
  const rb = r[row + b]!;
  if (ra !== rb) return ra > rb;
  return a < b;
}
