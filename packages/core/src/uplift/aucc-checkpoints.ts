import { descendingOrder, tieBlockEnds } from './order.js';
import type { Curve, NumericColumn } from './types.js';

/**
 * How the AUCC picks its cost checkpoints:
 * - `'first-row'` (default): DFCL's published Metric.py exactly. Rows in the order of a stable ascending
 *   sort of the ROI read backwards (numpy `argsort(roi)[::-1]`: highest first, among equal ROI the LATER
 *   row first). Walking the rows, a checkpoint is recorded at a row when it is the last row, or when
 *   j < Q and the prefix's Δcost ≥ j·(Δcost_total/Q); j then goes up by one. So one checkpoint per row at
 *   most (several thresholds crossed at one row are caught one per following row), the point is the
 *   row's actual (Δcost, Δreward), and there may be fewer than Q + 1 points; the divisor stays Q + 1.
 * - `'interpolated'`: the earlier bidfcl convention. Points only at the ends of tie blocks; checkpoint j is
 *   where the polyline through them first reaches Δcost = j·Δcost_total/Q, Δreward interpolated. It does
 *   not depend on the order of tied rows and a constant score gives exactly 0.5; it differs from DFCL's
 *   numbers by O(1/n) (≈ 5e-4 on Hillstrom), so it is kept only as an option.
 */
export type AuccCheckpoints = 'first-row' | 'interpolated';

/** The checkpoint rules by name, for option parsing. */
export const AUCC_CHECKPOINTS: readonly AuccCheckpoints[] = ['first-row', 'interpolated'];

/** Throws on anything but a known rule (options may come from untyped JSON or the CLI). */
export function checkAuccCheckpoints(c: unknown): AuccCheckpoints {
  if (c === 'first-row' || c === 'interpolated') return c;
  throw new Error(`unknown AUCC checkpoints ${String(c)}: expected ${AUCC_CHECKPOINTS.join(' or ')}`);
}

/** Validated columns and the whole-population increments, shared by both rules. */
export interface AuccWalkInput {
  roi: NumericColumn;
  treatment: NumericColumn;
  reward: NumericColumn;
  cost: NumericColumn;
  nTreated: number;
  nControl: number;
  /** mean_T(cost) − mean_C(cost), > 0. */
  deltaCostTotal: number;
  quantiles: number;
}

/** Per-group sums of cost and reward over the rows added so far; the deltas are differences of group means. */
export class GroupSums {
  private ct = 0;
  private cc = 0;
  private rt = 0;
  private rc = 0;
  constructor(private readonly w: Omit<AuccWalkInput, 'roi' | 'deltaCostTotal' | 'quantiles'>) {}

  add(i: number): void {
    if (this.w.treatment[i] === 1) {
      this.ct += this.w.cost[i]!;
      this.rt += this.w.reward[i]!;
    } else {
      this.cc += this.w.cost[i]!;
      this.rc += this.w.reward[i]!;
    }
  }
  get deltaCost(): number {
    return this.ct / this.w.nTreated - this.cc / this.w.nControl;
  }
  get deltaReward(): number {
    return this.rt / this.w.nTreated - this.rc / this.w.nControl;
  }
}

/** DFCL's rule (see {@link AuccCheckpoints}): the curve, origin first, at most Q + 1 points. */
export function firstRowCheckpoints(w: AuccWalkInput): Curve {
  const q = w.quantiles;
  const order = descendingOrder(w.roi, 'last');
  const n = order.length;
  // Δcost_total/Q first, then times j: the same two roundings as the reference, so exact hits agree.
  const step = w.deltaCostTotal / q;
  const x = [0];
  const y = [0];
  const sums = new GroupSums(w);
  let j = 1;
  for (let p = 0; p < n; p++) {
    sums.add(order[p]!);
    const dc = sums.deltaCost;
    if (p === n - 1 || (j < q && dc >= step * j)) {
      x.push(dc);
      y.push(sums.deltaReward);
      j++;
    }
  }
  return { x, y };
}

/** The interpolated rule (see {@link AuccCheckpoints}): exactly Q + 1 points, x = the thresholds. */
export function interpolatedCheckpoints(w: AuccWalkInput, deltaRewardTotal: number): Curve {
  const { roi, deltaCostTotal, quantiles: q } = w;
  const order = descendingOrder(roi, 'first');
  const ends = tieBlockEnds(order, roi);
  // Polyline through the tie-block ends, starting at the origin.
  const px = new Float64Array(ends.length + 1);
  const py = new Float64Array(ends.length + 1);
  const sums = new GroupSums(w);
  let e = 0;
  for (let p = 0; p < order.length; p++) {
    sums.add(order[p]!);
    if (p === ends[e]) {
      e++;
      px[e] = sums.deltaCost;
      py[e] = sums.deltaReward;
    }
  }
  // The polyline ends at Δcost_total: the threshold search below always terminates.
  px[ends.length] = deltaCostTotal;
  const x = [0];
  const y = [0];
  let seg = 1; // current segment [seg − 1, seg]; thresholds rise, so first passages never move backwards
  for (let j = 1; j < q; j++) {
    const tau = (j * deltaCostTotal) / q;
    while (px[seg]! < tau) seg++;
    const x0 = px[seg - 1]!;
    // x0 < tau ≤ x1: the segment start is the origin (0 < tau) or was passed because it lay below an
    // earlier, smaller threshold; so the division is safe.
    const f = (tau - x0) / (px[seg]! - x0);
    x.push(tau);
    y.push(py[seg - 1]! + f * (py[seg]! - py[seg - 1]!));
  }
  x.push(deltaCostTotal);
  y.push(deltaRewardTotal);
  return { x, y };
}
