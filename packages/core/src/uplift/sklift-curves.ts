import { descendingOrder, tieBlockEnds } from './order.js';
import type { Curve, NumericColumn } from './types.js';
import { checkBinaryTreatment, checkFinite, checkSameLength, checkUpliftInputs, isBinary } from './validate.js';

/**
 * Curves in the scikit-uplift convention (re-derived from its documented definitions):
 * - rows sorted by score, highest first; the curve has one point per block of equal scores, placed at the
 *   END of the block, so the order inside a block of ties never changes the curve;
 * - a point (0, 0) is prepended;
 * - x is the number of rows targeted so far.
 * Where a prefix holds no treated (or no control) rows, that group's mean counts as 0 — scikit-uplift's own
 * definition (it divides with `where=count != 0`), so no NaN arises and no warning is needed.
 */

/** Cumulative counts and outcome sums at the end of every block of ties (scikit-uplift's thresholds). */
interface PrefixStats {
  numAll: number[];
  numTreated: number[];
  sumTreated: number[];
  sumControl: number[];
}

function prefixStatsAtTieEnds(outcome: NumericColumn, score: NumericColumn, treatment: NumericColumn): PrefixStats {
  const order = descendingOrder(score, 'last');
  const ends = tieBlockEnds(order, score);
  const out: PrefixStats = { numAll: [], numTreated: [], sumTreated: [], sumControl: [] };
  let nt = 0;
  let yt = 0;
  let yc = 0;
  let e = 0;
  for (let p = 0; p < order.length; p++) {
    const i = order[p]!;
    if (treatment[i] === 1) {
      nt++;
      yt += outcome[i]!;
    } else {
      yc += outcome[i]!;
    }
    if (p === ends[e]) {
      out.numAll.push(p + 1);
      out.numTreated.push(nt);
      out.sumTreated.push(yt);
      out.sumControl.push(yc);
      e++;
    }
  }
  return out;
}

/** a / b, or 0 where b is 0 (scikit-uplift's guarded division). */
function safeDiv(a: number, b: number): number {
  return b !== 0 ? a / b : 0;
}

/**
 * The point (0, 0), then one point per tie-block end: x = m rows targeted so far, y = height(…) of the
 * treated/control outcome sums and counts of those m rows. The uplift and Qini curves differ only in `height`.
 */
function curveAtTieEnds(
  outcome: NumericColumn,
  score: NumericColumn,
  treatment: NumericColumn,
  height: (sumTreated: number, sumControl: number, nTreated: number, nControl: number, m: number) => number,
): Curve {
  checkUpliftInputs(outcome, score, treatment);
  const s = prefixStatsAtTieEnds(outcome, score, treatment);
  const x = [0];
  const y = [0];
  for (let b = 0; b < s.numAll.length; b++) {
    const m = s.numAll[b]!;
    const nt = s.numTreated[b]!;
    x.push(m);
    y.push(height(s.sumTreated[b]!, s.sumControl[b]!, nt, m - nt, m));
  }
  return { x, y };
}

/**
 * Uplift curve (scikit-uplift `uplift_curve`): at each tie-block end with m rows targeted,
 * y = (mean outcome of treated so far − mean outcome of control so far) · m.
 * @param outcome y_true (binary or continuous)
 * @param score predicted uplift (higher = target first)
 * @param treatment 1 treated, 0 control
 */
export function upliftCurve(outcome: NumericColumn, score: NumericColumn, treatment: NumericColumn): Curve {
  return curveAtTieEnds(
    outcome,
    score,
    treatment,
    (sumT, sumC, nt, nc, m) => (safeDiv(sumT, nt) - safeDiv(sumC, nc)) * m,
  );
}

/**
 * Qini curve (scikit-uplift `qini_curve`): at each tie-block end,
 * y = (Σ outcome of treated so far) − (Σ outcome of control so far) · n_treated / n_control.
 */
export function qiniCurve(outcome: NumericColumn, score: NumericColumn, treatment: NumericColumn): Curve {
  return curveAtTieEnds(outcome, score, treatment, (sumT, sumC, nt, nc) => sumT - sumC * safeDiv(nt, nc));
}

/**
 * The ordering score of the best possible uplift curve.
 * Binary outcome (scikit-uplift `perfect_uplift_curve`): treated responders first, then control
 * non-responders; the two remaining kinds follow in the order that depends on whether control responders
 * outnumber treated non-responders (score 2·[y = t] + (y if CR > TN else t)).
 * Non-binary outcome (scikit-uplift has no definition; this library's decision): score y for treated rows and
 * −y for control rows, the ordering scikit-uplift uses for its perfect Qini curve. It is a reference ordering,
 * not a proven optimum, so a model can score above 1 on continuous outcomes.
 */
export function perfectUpliftScore(outcome: NumericColumn, treatment: NumericColumn): Float64Array {
  const n = outcome.length;
  const score = new Float64Array(n);
  if (isBinary(outcome)) {
    let controlResponders = 0;
    let treatedNonResponders = 0;
    for (let i = 0; i < n; i++) {
      if (outcome[i] === 1 && treatment[i] === 0) controlResponders++;
      if (outcome[i] === 0 && treatment[i] === 1) treatedNonResponders++;
    }
    const summandIsOutcome = controlResponders > treatedNonResponders;
    for (let i = 0; i < n; i++) {
      const y = outcome[i]!;
      const t = treatment[i]!;
      score[i] = 2 * (y === t ? 1 : 0) + (summandIsOutcome ? y : t);
    }
  } else {
    for (let i = 0; i < n; i++) score[i] = treatment[i] === 1 ? outcome[i]! : -outcome[i]!;
  }
  return score;
}

/** The uplift curve of the perfect ordering (see {@link perfectUpliftScore}). */
export function perfectUpliftCurve(outcome: NumericColumn, treatment: NumericColumn): Curve {
  checkSameLength({ outcome, treatment });
  checkFinite('outcome', outcome);
  checkBinaryTreatment(treatment);
  return upliftCurve(outcome, perfectUpliftScore(outcome, treatment), treatment);
}

/** Options of the perfect Qini curve. */
export interface PerfectQiniOptions {
  /**
   * true (default, as scikit-uplift): the perfect model may also find rows the treatment harms — the curve of
   * the ordering y for treated, −y for control (rises, then falls at the end).
   * false: no row is harmed: the curve rises with slope 1 to the total Qini value and stays flat — defined for
   * binary outcomes only (slope 1 = one responder per row); a non-binary outcome is an error.
   */
  negativeEffect?: boolean;
}

/**
 * Perfect Qini curve (scikit-uplift `perfect_qini_curve`).
 * With `negativeEffect: false` the curve is x = [0, Q, n], y = [0, Q, Q] with Q the total Qini value
 * Σ_treated y − n_treated · Σ_control y / n_control; when Q lies outside [0, n] that x is not ascending
 * (scikit-uplift's area routine would refuse it); this library keeps the points and integrates the signed area.
 */
export function perfectQiniCurve(
  outcome: NumericColumn,
  treatment: NumericColumn,
  opts: PerfectQiniOptions = {},
): Curve {
  const negativeEffect = opts.negativeEffect ?? true;
  const n = checkSameLength({ outcome, treatment });
  checkFinite('outcome', outcome);
  const { nTreated, nControl } = checkBinaryTreatment(treatment);
  if (negativeEffect) {
    const score = new Float64Array(n);
    for (let i = 0; i < n; i++) score[i] = treatment[i] === 1 ? outcome[i]! : -outcome[i]!;
    return qiniCurve(outcome, score, treatment);
  }
  if (!isBinary(outcome)) {
    throw new Error(
      'negativeEffect=false assumes a binary outcome (the perfect curve rises by one per responder); ' +
        'use negativeEffect=true for continuous outcomes',
    );
  }
  let yt = 0;
  let yc = 0;
  for (let i = 0; i < n; i++) {
    if (treatment[i] === 1) yt += outcome[i]!;
    else yc += outcome[i]!;
  }
  const total = yt - (nTreated * yc) / nControl;
  return { x: [0, total, n], y: [0, total, total] };
}
