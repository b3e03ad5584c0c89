import { descendingOrder, tieBlockEnds } from './order.js';
import type { Curve, NumericColumn } from './types.js';
import { checkBinaryTreatment, checkFinite, checkNoNaN, checkSameLength } from './validate.js';

/** Options of the AUCC. */
export interface AuccOptions {
  /** Number of cost checkpoints Q (integer ≥ 1, default 200 as docs/method.md §4). */
  quantiles?: number;
  /**
   * `aucc` only: predicted cost uplifts below this are raised to it before dividing, so that ROI = Δr̂/Δĉ is
   * finite and ordered sensibly when Δĉ ≤ 0 (positive Δr̂ at no cost ranks first, negative Δr̂ last).
   * Default 1e-12.
   */
  minDeltaCost?: number;
}

/** AUCC with its cost curve. */
export interface AuccResult {
  /** Area under the cost curve: Σ_{j=0..Q} Δreward_j / (Δreward_total · (Q + 1)); ≈ 0.5 for random scores. */
  aucc: number;
  /** The Q + 1 checkpoints: x = incremental cost, y = incremental reward (both per group member). */
  curve: Curve;
  /** Incremental cost and reward of treating everyone: mean(treated) − mean(control). */
  deltaCostTotal: number;
  deltaRewardTotal: number;
  warnings: string[];
}

/**
 * AUCC (area under the cost curve) of DFCL, from a ranking score (predicted ROI, highest first).
 *
 * Walk the rows in score order; after each block of equal scores the prefix gives the point
 *   Δcost = C_T/N_T − C_C/N_C,  Δreward = R_T/N_T − R_C/N_C
 * (sums over the prefix's treated/control rows, divided by the FULL group sizes N_T, N_C), starting from
 * (0, 0) and ending at (Δcost_total, Δreward_total). Checkpoint j = 1…Q−1 is the first place where the
 * polyline through these points reaches Δcost = j·Δcost_total/Q (Δreward interpolated linearly on that
 * segment); checkpoint 0 is the origin and checkpoint Q the end point. AUCC = Σ_j Δreward_j /
 * (Δreward_total · (Q + 1)).
 *
 * Decisions (DFCL's reference code records the first ROW at or past each threshold, one checkpoint per row,
 * with ties in sort order): points only at the ends of tie blocks with linear interpolation inside, so the
 * result does not depend on the order of tied rows and a constant score gives exactly 0.5 (a step at the end
 * of one big block would give Q/(Q+1)); several thresholds crossed at once all get their own checkpoint. For
 * large n the two agree to O(1/n).
 *
 * Errors: no treated or control rows; Δcost_total ≤ 0 (the checkpoints are undefined: the treatment must
 * cost something on average); Δreward_total = 0 (the normaliser). A negative Δreward_total is allowed and
 * warned about (the curve is then normalised by a negative number).
 */
export function auccFromRoi(
  roi: NumericColumn,
  treatment: NumericColumn,
  reward: NumericColumn,
  cost: NumericColumn,
  opts: AuccOptions = {},
): AuccResult {
  const n = checkSameLength({ roi, treatment, reward, cost });
  checkNoNaN('roi score', roi);
  checkFinite('reward', reward);
  checkFinite('cost', cost);
  const { nTreated, nControl } = checkBinaryTreatment(treatment);
  const q = opts.quantiles ?? 200;
  if (!Number.isInteger(q) || q < 1) throw new Error(`AUCC: quantiles must be a positive integer, got ${q}`);

  const order = descendingOrder(roi, 'first');
  const ends = tieBlockEnds(order, roi);
  // Polyline through the tie-block ends, starting at the origin.
  const px = new Float64Array(ends.length + 1);
  const py = new Float64Array(ends.length + 1);
  let ct = 0;
  let cc = 0;
  let rt = 0;
  let rc = 0;
  let e = 0;
  for (let p = 0; p < n; p++) {
    const i = order[p]!;
    if (treatment[i] === 1) {
      ct += cost[i]!;
      rt += reward[i]!;
    } else {
      cc += cost[i]!;
      rc += reward[i]!;
    }
    if (p === ends[e]) {
      e++;
      px[e] = ct / nTreated - cc / nControl;
      py[e] = rt / nTreated - rc / nControl;
    }
  }
  const deltaCostTotal = px[ends.length]!;
  const deltaRewardTotal = py[ends.length]!;
  if (!(deltaCostTotal > 0)) {
    throw new Error(
      `AUCC: the incremental cost of treating everyone is ${deltaCostTotal}; the cost curve needs it > 0`,
    );
  }
  if (deltaRewardTotal === 0)
    throw new Error('AUCC: the incremental reward of treating everyone is 0; nothing to normalise by');
  const warnings: string[] = [];
  if (deltaRewardTotal < 0) {
    warnings.push(
      `AUCC: the incremental reward of treating everyone is negative (${deltaRewardTotal}); ` +
        'the area is normalised by it',
    );
  }

  const x = [0];
  const y = [0];
  let seg = 1; // current segment [seg − 1, seg]; thresholds rise, so first passages never move backwards
  for (let j = 1; j < q; j++) {
    const tau = (j * deltaCostTotal) / q;
    while (px[seg]! < tau) seg++; // terminates: the end point has px = deltaCostTotal > tau
    const x0 = px[seg - 1]!;
    const x1 = px[seg]!;
    // x0 < tau ≤ x1: the segment start is the origin (0 < tau) or was passed because it lay below an
    // earlier, smaller threshold; so the division is safe.
    const f = (tau - x0) / (x1 - x0);
    x.push(tau);
    y.push(py[seg - 1]! + f * (py[seg]! - py[seg - 1]!));
  }
  x.push(deltaCostTotal);
  y.push(deltaRewardTotal);
  let sum = 0;
  for (const v of y) sum += v;
  return { aucc: sum / (deltaRewardTotal * (q + 1)), curve: { x, y }, deltaCostTotal, deltaRewardTotal, warnings };
}

/**
 * AUCC from predicted uplifts: ranks by ROI = Δr̂ / max(Δĉ, minDeltaCost) (see {@link AuccOptions}), then
 * {@link auccFromRoi}.
 * @param deltaR predicted revenue (reward) uplift per row, r̂_treated − r̂_control
 * @param deltaC predicted cost uplift per row, ĉ_treated − ĉ_control
 * @param treatment 1 treated, 0 control
 * @param reward realised reward per row
 * @param cost realised cost per row
 */
export function aucc(
  deltaR: NumericColumn,
  deltaC: NumericColumn,
  treatment: NumericColumn,
  reward: NumericColumn,
  cost: NumericColumn,
  opts: AuccOptions = {},
): AuccResult {
  checkSameLength({ deltaR, deltaC, treatment, reward, cost });
  checkFinite('deltaR', deltaR);
  checkFinite('deltaC', deltaC);
  const minDeltaCost = opts.minDeltaCost ?? 1e-12;
  if (!(minDeltaCost > 0)) throw new Error(`AUCC: minDeltaCost must be > 0, got ${minDeltaCost}`);
  const roi = new Float64Array(deltaR.length);
  for (let i = 0; i < roi.length; i++) roi[i] = deltaR[i]! / Math.max(deltaC[i]!, minDeltaCost);
  return auccFromRoi(roi, treatment, reward, cost, opts);
}
