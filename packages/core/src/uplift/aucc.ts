import {
  GroupSums,
  checkAuccCheckpoints,
  firstRowCheckpoints,
  interpolatedCheckpoints,
  type AuccCheckpoints,
} from './aucc-checkpoints.js';
import type { Curve, NumericColumn } from './types.js';
import { checkBinaryTreatment, checkFinite, checkNoNaN, checkSameLength } from './validate.js';

/** Options of the AUCC. */
export interface AuccOptions {
  /** Number of cost checkpoints Q (integer ≥ 1, default 200 as docs/method.md §4; DFCL's own default is 20). */
  quantiles?: number;
  /** Checkpoint rule: 'first-row' (default, DFCL's Metric.py exactly) or 'interpolated'; see aucc-checkpoints.ts. */
  checkpoints?: AuccCheckpoints;
  /**
   * `aucc` only: predicted cost uplifts below this are raised to it before dividing, so that ROI = Δr̂/Δĉ is
   * finite and ordered sensibly when Δĉ ≤ 0 (positive Δr̂ at no cost ranks first, negative Δr̂ last).
   * Default 1e-12.
   */
  minDeltaCost?: number;
}

/** AUCC with its cost curve. */
export interface AuccResult {
  /** Area under the cost curve: Σ_j Δreward_j / (Δreward_total · (Q + 1)); ≈ 0.5 for random scores. */
  aucc: number;
  /**
   * The checkpoints, origin first: x = incremental cost, y = incremental reward (both per group member).
   * 'interpolated': Q + 1 points at the thresholds; 'first-row': the recorded rows (at most Q + 1).
   */
  curve: Curve;
  /** Incremental cost and reward of treating everyone: mean(treated) − mean(control). */
  deltaCostTotal: number;
  deltaRewardTotal: number;
  warnings: string[];
}

/**
 * AUCC (area under the cost curve) of DFCL, from a ranking score (predicted ROI, highest first).
 *
 * Walking the rows in score order, a prefix gives the point
 *   Δcost = C_T/N_T − C_C/N_C,  Δreward = R_T/N_T − R_C/N_C
 * (sums over the prefix's treated/control rows, divided by the FULL group sizes N_T, N_C), from (0, 0) to
 * (Δcost_total, Δreward_total). Checkpoints are taken at the cost thresholds j·Δcost_total/Q by the rule
 * `checkpoints` (default 'first-row' = DFCL's published code; see {@link AuccCheckpoints}), and
 * AUCC = Σ_checkpoints Δreward / (Δreward_total · (Q + 1)).
 *
 * Errors (where DFCL's code would produce a meaningless number): no treated or control rows;
 * Δcost_total ≤ 0 (the thresholds would not rise: the treatment must cost something on average);
 * Δreward_total = 0 (the normaliser). A negative Δreward_total is allowed and warned about.
 */
export function auccFromRoi(
  roi: NumericColumn,
  treatment: NumericColumn,
  reward: NumericColumn,
  cost: NumericColumn,
  opts: AuccOptions = {},
): AuccResult {
  checkSameLength({ roi, treatment, reward, cost });
  checkNoNaN('roi score', roi);
  checkFinite('reward', reward);
  checkFinite('cost', cost);
  const { nTreated, nControl } = checkBinaryTreatment(treatment);
  const q = opts.quantiles ?? 200;
  if (!Number.isInteger(q) || q < 1) throw new Error(`AUCC: quantiles must be a positive integer, got ${q}`);
  const rule = checkAuccCheckpoints(opts.checkpoints ?? 'first-row');

  // Whole-population increments as differences of group means (DFCL's normaliser and threshold step).
  const totals = new GroupSums({ treatment, reward, cost, nTreated, nControl });
  for (let i = 0; i < treatment.length; i++) totals.add(i);
  const deltaCostTotal = totals.deltaCost;
  const deltaRewardTotal = totals.deltaReward;
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

  const walk = { roi, treatment, reward, cost, nTreated, nControl, deltaCostTotal, quantiles: q };
  const curve: Curve =
    rule === 'first-row' ? firstRowCheckpoints(walk) : interpolatedCheckpoints(walk, deltaRewardTotal);
  let sum = 0;
  for (const v of curve.y) sum += v;
  return { aucc: sum / (deltaRewardTotal * (q + 1)), curve, deltaCostTotal, deltaRewardTotal, warnings };
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
