import type { ScoreMatrix } from '@bidfcl/contracts';
import { assertScoreMatrix } from './decide.js';
import { hullScratch, upperHull } from './hull.js';

/**
 * The whole solution path of the Lagrangian relaxation (docs/method.md §1), λ from +∞ down to 0.
 *
 * At λ = +∞ every user takes its cheapest arm (`base`). Each user's decision then climbs its upper convex
 * hull of (c_ij, r_ij) points: moving from hull point k to k+1 happens when λ falls below the segment slope
 * (Δr/Δc). Increments are listed in the order λ meets them: slope descending, then user ascending.
 * Arms off the hull (dominated, or collinear middle points) are never an argmax under the tie rule
 * "lower cost first", so they never appear.
 */
export interface LagrangianPath {
  n: number;
  m: number;
  /** Arm per user at λ = +∞ (lowest cost; among equal costs the highest revenue, then the lowest index). */
  base: Int32Array;
  /** Increment k moves user[k] from arm from[k] to arm to[k] when λ drops below slope[k] (> 0). */
  user: Int32Array;
  from: Int32Array;
  to: Int32Array;
  slope: Float64Array;
  /** Increment indices sorted by slope descending, ties by user ascending. */
  order: Uint32Array;
}

/** Builds the path. O(n·m log m) for the hulls plus one sort of at most n·(m−1) increments. */
export function buildLagrangianPath(scores: ScoreMatrix): LagrangianPath {
  assertScoreMatrix(scores);
  const { n, m, r, c } = scores;
  const base = new Int32Array(n);
  const cap = n * Math.max(0, m - 1);
  const user = new Int32Array(cap);
  const from = new Int32Array(cap);
  const to = new Int32Array(cap);
  const slope = new Float64Array(cap);
  let k = 0;

  const hull = hullScratch(m);
  for (let i = 0; i < n; i++) {
    const h = upperHull(r, c, i * m, m, hull);
    base[i] = hull.arms[0]!;
    for (let q = 1; q < h; q++) {
      user[k] = i;
      from[k] = hull.arms[q - 1]!;
      to[k] = hull.arms[q]!;
      slope[k] = hull.slope[q]!;
      k++;
    }
  }

  const order = orderDescending(slope.subarray(0, k));
  return {
    n,
    m,
    base,
    user: user.subarray(0, k),
    from: from.subarray(0, k),
    to: to.subarray(0, k),
    slope: slope.subarray(0, k),
    order,
  };
}

/**
 * Indices sorted by value descending, equal values by index ascending (increments are generated in user
 * order, so that is user ascending). LSD radix sort on the doubles' bit patterns (mapped so that unsigned
 * order equals numeric order): stable, O(K), ~10× faster than sorting indices with a comparator callback
 * on a million increments.
 */
function orderDescending(values: Float64Array): Uint32Array {
  const K = values.length;
  const keyHi = new Uint32Array(K);
  const keyLo = new Uint32Array(K);
  const bits = new Uint32Array(2);
  const f = new Float64Array(bits.buffer);
  const hiWord = LITTLE_ENDIAN ? 1 : 0;
  for (let q = 0; q < K; q++) {
    f[0] = values[q]!;
    let hi = bits[hiWord]!;
    let lo = bits[1 - hiWord]!;
    // Numeric order → unsigned order: negative numbers flip all bits, others flip the sign bit.
    if (hi & 0x80000000) {
      hi = ~hi;
      lo = ~lo;
    } else hi |= 0x80000000;
    // Descending: complement the key.
    keyHi[q] = ~hi >>> 0;
    keyLo[q] = ~lo >>> 0;
  }
  let order = new Uint32Array(K);
  for (let q = 0; q < K; q++) order[q] = q;
  let tmp = new Uint32Array(K);
  const count = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const words = pass < 2 ? keyLo : keyHi;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let q = 0; q < K; q++) count[(words[q]! >>> shift) & 0xffff]! += 1;
    if (K > 0 && count[(words[0]! >>> shift) & 0xffff] === K) continue; // every key shares this digit
    let sum = 0;
    for (let dgt = 0; dgt < 65536; dgt++) {
      const c = count[dgt]!;
      count[dgt] = sum;
      sum += c;
    }
    for (let p = 0; p < K; p++) {
      const q = order[p]!;
      const dgt = (words[q]! >>> shift) & 0xffff;
      tmp[count[dgt]!] = q;
      count[dgt]! += 1;
    }
    const swap = order;
    order = tmp;
    tmp = swap;
  }
  return order;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The outcome of walking a path under a budget. */
export interface PathAllocation {
  /** λ* (0 when everything fits; +∞ when even the cheapest arms exceed the budget). */
  lambda: number;
  assignment: Int32Array;
  /** Total cost Σ_i cost_{i,assignment_i} on the cost matrix the budget was measured with. */
  totalCost: number;
  /** False only when the cheapest-arm assignment already exceeds the budget. */
  feasible: boolean;
}

/**
 * Walks the path from λ = +∞ downwards, measuring spend with `cost` (n × m; the path's own predicted costs
 * for deployment, the true costs for the simulator metric), and stops at the first group of equal-slope
 * increments that no longer fits: λ* is that group's slope; its members (users tied at λ*) are switched to
 * their costlier hull arm greedily (cost-saving switches first, then in user order) while the budget allows.
 * The total never exceeds `budgetTotal` (a last pass undoes switches if summation order rounding pushed
 * the recomputed total over). When spend is monotone along the path (always for the path's own costs) this
 * is the exact crossing; otherwise it is the first crossing met when λ decreases.
 */
export function allocateOnPath(path: LagrangianPath, cost: ArrayLike<number>, budgetTotal: number): PathAllocation {
  const { n, m, base, user, from, to, slope, order } = path;
  if (cost.length !== n * m) throw new Error(`allocateOnPath: cost has length ${cost.length}, expected ${n * m}`);
  if (Number.isNaN(budgetTotal)) throw new Error('allocateOnPath: budget is NaN');
  const assignment = base.slice();
  const total = (): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += cost[i * m + assignment[i]!]!;
    return s;
  };
  let running = total();
  if (running > budgetTotal) return { lambda: Infinity, assignment, totalCost: running, feasible: false };

  const delta = (q: number): number => cost[user[q]! * m + to[q]!]! - cost[user[q]! * m + from[q]!]!;
  const applied: number[] = [];
  let lambda = 0;
  const K = order.length;
  let pos = 0;
  while (pos < K) {
    const s = slope[order[pos]!]!;
    let end = pos;
    let groupDelta = 0;
    while (end < K && slope[order[end]!] === s) groupDelta += delta(order[end++]!);
    if (running + groupDelta <= budgetTotal) {
      for (let p = pos; p < end; p++) {
        const q = order[p]!;
        assignment[user[q]!] = to[q]!;
        applied.push(q);
      }
      running += groupDelta;
      pos = end;
      continue;
    }
    lambda = s;
    for (const pass of [0, 1]) {
      for (let p = pos; p < end; p++) {
        const q = order[p]!;
        const d = delta(q);
        if ((pass === 0) !== d <= 0) continue; // pass 0: spend-neutral or saving switches
        if (running + d <= budgetTotal) {
          assignment[user[q]!] = to[q]!;
          applied.push(q);
          running += d;
        }
      }
    }
    break;
  }
  let exact = total();
  while (exact > budgetTotal && applied.length > 0) {
    const q = applied.pop()!;
    assignment[user[q]!] = from[q]!;
    exact = total();
  }
  return { lambda, assignment, totalCost: exact, feasible: true };
}
