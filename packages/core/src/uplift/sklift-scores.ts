import { perfectQiniCurve, perfectUpliftCurve, qiniCurve, upliftCurve } from './sklift-curves.js';
import { trapezoidArea } from './trapezoid.js';
import type { Curve, NumericColumn, ScoreResult } from './types.js';
import { checkUpliftInputs, isBinary } from './validate.js';

/**
 * Normalised areas in the scikit-uplift convention:
 *   score = (area(model curve) − area(random line)) / (area(perfect curve) − area(random line)),
 * areas by the trapezoid rule, the random line joining (0, 0) to the perfect curve's last point.
 * 1 = the perfect ordering, 0 = random, negative = worse than random.
 */
export interface AucScoreResult extends ScoreResult {
  /** Area of the model's curve minus the random line's. */
  area: number;
  /** Area of the perfect curve minus the random line's (the normaliser). */
  perfectArea: number;
  /** Area under the random line. */
  baselineArea: number;
  /** The model's curve (points at the ends of tie blocks). */
  curve: Curve;
  /** The perfect curve used as the normaliser. */
  perfectCurve: Curve;
}

function normalisedArea(model: Curve, perfect: Curve, what: string): AucScoreResult {
  const lastX = perfect.x[perfect.x.length - 1]!;
  const lastY = perfect.y[perfect.y.length - 1]!;
  const baselineArea = trapezoidArea([0, lastX], [0, lastY]);
  const perfectArea = trapezoidArea(perfect.x, perfect.y) - baselineArea;
  const area = trapezoidArea(model.x, model.y) - baselineArea;
  const warnings: string[] = [];
  let value: number;
  if (perfectArea === 0) {
    // scikit-uplift divides by zero here (NaN or ±inf); no ordering can beat random, so report 0.
    value = 0;
    warnings.push(`${what}: the perfect curve has the same area as the random line; score set to 0`);
  } else {
    value = area / perfectArea;
  }
  return { value, warnings, area, perfectArea, baselineArea, curve: model, perfectCurve: perfect };
}

/**
 * Area under the uplift curve normalised against the perfect uplift curve (scikit-uplift `uplift_auc_score`).
 * For a non-binary outcome the perfect curve is this library's generalisation (see `perfectUpliftScore`) and
 * a warning says so.
 */
export function upliftAucScore(outcome: NumericColumn, score: NumericColumn, treatment: NumericColumn): AucScoreResult {
  checkUpliftInputs(outcome, score, treatment);
  const result = normalisedArea(
    upliftCurve(outcome, score, treatment),
    perfectUpliftCurve(outcome, treatment),
    'uplift AUC',
  );
  if (!isBinary(outcome)) {
    result.warnings.push(
      'uplift AUC: non-binary outcome; the perfect curve orders treated rows by y and control rows by −y ' +
        '(scikit-uplift defines it for binary outcomes only)',
    );
  }
  return result;
}

/** Options of {@link qiniAucScore}. */
export interface QiniAucOptions {
  /** See `perfectQiniCurve`; default true as in scikit-uplift. */
  negativeEffect?: boolean;
}

/**
 * Area under the Qini curve normalised against the perfect Qini curve (scikit-uplift `qini_auc_score`).
 * `negativeEffect` (default true) chooses the perfect curve: true lets the perfect model also rank harmed rows
 * last; false assumes nobody is harmed (binary outcomes only).
 */
export function qiniAucScore(
  outcome: NumericColumn,
  score: NumericColumn,
  treatment: NumericColumn,
  opts: QiniAucOptions = {},
): AucScoreResult {
  checkUpliftInputs(outcome, score, treatment);
  const negativeEffect = opts.negativeEffect ?? true;
  const perfect = perfectQiniCurve(outcome, treatment, { negativeEffect });
  const result = normalisedArea(qiniCurve(outcome, score, treatment), perfect, 'Qini AUC');
  if (!negativeEffect) {
    const total = perfect.y[2]!;
    const n = perfect.x[2]!;
    if (total < 0 || total > n) {
      result.warnings.push(
        `Qini AUC: total Qini value ${total} lies outside [0, ${n}]; ` +
          'the no-negative-effect perfect curve is not ascending in x (signed area used)',
      );
    }
  }
  return result;
}
