/**
 * One user's upper convex hull of (c_ij, r_ij) points (docs/method.md §1): the only arms that can be
 * argmax_j (r_ij − λ c_ij) for some λ ≥ 0 under the tie rule "lower cost first, then lower index".
 *
 * Writes the hull arms into `hull[0..h)` in cost order (costs and revenues strictly increasing) and returns
 * h ≥ 1. hull[0] is the arm at λ = +∞ (lowest cost; among equal costs the highest revenue, then the lowest
 * index). The slope between hull[q−1] and hull[q] is the λ below which the user moves up to hull[q]; slopes
 * strictly decrease along the hull (collinear middle points are dropped: they are never a strict argmax).
 *
 * Shared by the single-process path and the per-shard scan, so both see bit-identical hulls and slopes.
 *
 * @param row offset of the user's row in the n × m row-major arrays (i · m)
 * @param arms scratch buffer of length ≥ m
 * @param hull output buffer of length ≥ m
 */
export function upperHull(
  r: ArrayLike<number>,
  c: ArrayLike<number>,
  row: number,
  m: number,
  arms: Int32Array,
  hull: Int32Array,
): number {
  // Arms by cost ascending, revenue descending, index ascending (insertion sort: m is small).
  for (let j = 0; j < m; j++) {
    let p = j;
    while (p > 0 && before(r, c, row, j, arms[p - 1]!)) {
      arms[p] = arms[p - 1]!;
      p--;
    }
    arms[p] = j;
  }
  let h = 0;
  for (let q = 0; q < m; q++) {
    const a = arms[q]!;
    if (h > 0 && r[row + a]! <= r[row + hull[h - 1]!]!) continue; // costs at least as much, earns no more
    while (h >= 2) {
      const p0 = hull[h - 2]!;
      const p1 = hull[h - 1]!;
      // p1 stays when it is a strict corner of the hull.
      if (segmentSlope(r, c, row, p0, p1) > segmentSlope(r, c, row, p1, a)) break;
      h--; // p1 lies on or under the chord from p0 to a: never a strict argmax
    }
    hull[h++] = a;
  }
  return h;
}

/**
 * The slope of the hull segment from arm a0 to arm a1 (> 0 for consecutive hull arms: both differences are
 * positive). Every caller computes slopes with this one expression so that they compare bit for bit.
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
