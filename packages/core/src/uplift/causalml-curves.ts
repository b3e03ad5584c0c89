import { checkCausalmlBaseline, lineBaseline, type CausalmlBaseline } from './causalml-baseline.js';
import { Mt19937 } from './mt19937.js';
import { descendingOrder } from './order.js';
import type { NumericColumn } from './types.js';
import { checkUpliftInputs } from './validate.js';

/**
 * Curves in the CausalML convention (re-derived from its documented definitions of get_cumlift, get_cumgain
 * and get_qini):
 * - rows sorted by score, highest first; one point per ROW (no tie blocks), x = 0, 1, …, n;
 *   among equal scores the earlier row comes first (CausalML leaves this to numpy's unstable quicksort; a
 *   stable order is the defined, reproducible choice);
 * - lift(k) = Σ_treated y / n_treated − Σ_control y / n_control over the first k rows;
 *   gain(k) = lift(k) · k;
 *   qini(k) = Σ_treated y − Σ_control y · n_treated / n_control;
 * - a prefix where a group is missing gives CausalML a NaN (0/0); like CausalML, these points are filled by
 *   linear interpolation between the point (0, 0) and the first defined point;
 * - the random baseline is, by default, the straight line from the curve's first point to its last (current
 *   releases); `baseline: 'random10'` gives older releases' mean of the curves of ten random scores drawn
 *   as CausalML drew them (numpy MT19937 seeded with 42, `rand(n)` ten times in a row);
 * - `normalize` divides a curve by the absolute value of its last point (the same for every ordering).
 */

/** The three CausalML curve kinds. */
export type CausalmlCurveKind = 'lift' | 'gain' | 'qini';

/** Options shared by the CausalML curves. */
export interface CausalmlCurveOptions {
  /** Divide by |last point| (get_cumgain / get_qini `normalize`; default false as there). */
  normalize?: boolean;
  /** Compute the random baseline (default true). */
  randomBaseline?: boolean;
  /** Which random baseline: 'line' (default, current CausalML) or 'random10' (older releases). */
  baseline?: CausalmlBaseline;
  /** numpy seed of the 'random10' baseline (default 42, CausalML's). */
  randomSeed?: number;
  /**
   * 'random10' only: a raw (unnormalised) random-baseline curve of the same kind computed earlier by
   * {@link causalmlRandomCurve} on the same outcome and treatment — saves ten sorts per extra score column.
   */
  randomCurve?: Float64Array;
}

/** A CausalML curve: x = 0…n, the model's y and (unless disabled) the random baseline's y. */
export interface CausalmlCurve {
  x: number[];
  y: number[];
  random?: number[];
  warnings: string[];
}

/** Number of random score columns CausalML averages for its baseline. */
export const CAUSALML_RANDOM_COLUMNS = 10;

/**
 * The raw curve (length n + 1, index = rows targeted) of one ordering. Assumes validated inputs.
 * Lift and gain are undefined (NaN in CausalML) until both groups appear; Qini until a control row appears.
 */
function rawCurveForOrder(
  kind: CausalmlCurveKind,
  outcome: NumericColumn,
  treatment: NumericColumn,
  order: Int32Array,
): Float64Array {
  const n = order.length;
  const curve = new Float64Array(n + 1);
  let nt = 0;
  let yt = 0;
  let yc = 0;
  let firstDefined = -1;
  for (let k = 1; k <= n; k++) {
    const i = order[k - 1]!;
    if (treatment[i] === 1) {
      nt++;
      yt += outcome[i]!;
    } else {
      yc += outcome[i]!;
    }
    const nc = k - nt;
    let v: number;
    if (kind === 'qini') {
      v = nc > 0 ? yt - (yc * nt) / nc : NaN;
    } else {
      v = nt > 0 && nc > 0 ? yt / nt - yc / nc : NaN;
    }
    curve[k] = v;
    if (firstDefined < 0 && !Number.isNaN(v)) firstDefined = k;
  }
  // Both groups are present (validated), so the last point is defined and firstDefined ≥ 1.
  // Linear interpolation from (0, 0) to the first defined point, as pandas' interpolate() does.
  const first = curve[firstDefined]!;
  for (let k = 1; k < firstDefined; k++) curve[k] = (first * k) / firstDefined;
  if (kind === 'gain') for (let k = 0; k <= n; k++) curve[k] = curve[k]! * k; // gain = interpolated lift · k
  return curve;
}

/**
 * The random baseline of a CausalML curve (raw, not normalised): the mean over ten random orderings, the
 * random scores drawn as CausalML draws them (numpy `seed(randomSeed)`, then `rand(n)` per column).
 */
export function causalmlRandomCurve(
  kind: CausalmlCurveKind,
  outcome: NumericColumn,
  treatment: NumericColumn,
  randomSeed = 42,
): Float64Array {
  const n = outcome.length;
  const rng = new Mt19937(randomSeed);
  const mean = new Float64Array(n + 1);
  const scores = new Float64Array(n);
  for (let c = 0; c < CAUSALML_RANDOM_COLUMNS; c++) {
    for (let i = 0; i < n; i++) scores[i] = rng.nextDouble();
    // CausalML averages lifts, then multiplies by k for the gain; the mean of gains is the same number.
    const curve = rawCurveForOrder(kind, outcome, treatment, descendingOrder(scores, 'first'));
    for (let k = 0; k <= n; k++) mean[k] = mean[k]! + curve[k]!;
  }
  for (let k = 0; k <= n; k++) mean[k] = mean[k]! / CAUSALML_RANDOM_COLUMNS;
  return mean;
}

/** The raw model curve (length n + 1) of a CausalML kind, validated. */
export function causalmlRawCurve(
  kind: CausalmlCurveKind,
  outcome: NumericColumn,
  score: NumericColumn,
  treatment: NumericColumn,
): Float64Array {
  checkUpliftInputs(outcome, score, treatment);
  return rawCurveForOrder(kind, outcome, treatment, descendingOrder(score, 'first'));
}

/**
 * Divides a curve by |its last point| in place when asked; a last point of 0 cannot normalise (CausalML would
 * produce ±inf/NaN): the curve is left raw and a warning is returned.
 */
export function normaliseByEnd(curve: Float64Array, what: string, warnings: string[]): void {
  const end = Math.abs(curve[curve.length - 1]!);
  if (end === 0) {
    warnings.push(`${what}: the curve ends at 0, so it cannot be normalised by its end; left unnormalised`);
    return;
  }
  for (let k = 0; k < curve.length; k++) curve[k] = curve[k]! / end;
}

function checkRandomCurve(random: Float64Array, n: number): void {
  if (random.length !== n + 1) throw new Error(`randomCurve has ${random.length} points, expected ${n + 1}`);
}

function buildCurve(
  kind: CausalmlCurveKind,
  outcome: NumericColumn,
  score: NumericColumn,
  treatment: NumericColumn,
  opts: CausalmlCurveOptions,
  normalizeAllowed: boolean,
): CausalmlCurve {
  const model = causalmlRawCurve(kind, outcome, score, treatment);
  const n = outcome.length;
  const warnings: string[] = [];
  const normalize = normalizeAllowed && (opts.normalize ?? false);
  const result: CausalmlCurve = { x: Array.from({ length: n + 1 }, (_, k) => k), y: [], warnings };
  if (normalize) normaliseByEnd(model, `CausalML ${kind}`, warnings);
  result.y = Array.from(model);
  const baseline = checkCausalmlBaseline(opts.baseline ?? 'line');
  // A precomputed random curve only makes sense for 'random10': refuse it rather than ignore it silently.
  if (opts.randomCurve && baseline === 'line') throw new Error("randomCurve needs baseline 'random10'");
  if (opts.randomBaseline ?? true) {
    if (baseline === 'line') {
      // Drawn from the curve as returned (normalised or not), as CausalML's chance line is.
      result.random = Array.from(lineBaseline(model));
    } else {
      const random = opts.randomCurve
        ? Float64Array.from(opts.randomCurve)
        : causalmlRandomCurve(kind, outcome, treatment, opts.randomSeed ?? 42);
      checkRandomCurve(random, n);
      if (normalize) normaliseByEnd(random, `CausalML ${kind} (random)`, []);
      result.random = Array.from(random);
    }
  }
  return result;
}

/**
 * Cumulative lift (CausalML `get_cumlift`): the difference of group means among the first k rows, k = 0…n.
 * (get_cumlift has no normalize option; `normalize` is ignored.)
 */
export function cumLift(
  outcome: NumericColumn,
  score: NumericColumn,
  treatment: NumericColumn,
  opts: CausalmlCurveOptions = {},
): CausalmlCurve {
  return buildCurve('lift', outcome, score, treatment, opts, false);
}

/** Cumulative gain (CausalML `get_cumgain`): lift(k) · k; `normalize` divides by |gain(n)|. */
export function cumGain(
  outcome: NumericColumn,
  score: NumericColumn,
  treatment: NumericColumn,
  opts: CausalmlCurveOptions = {},
): CausalmlCurve {
  return buildCurve('gain', outcome, score, treatment, opts, true);
}

/** Qini curve (CausalML `get_qini`): Σ_T y − Σ_C y · n_T / n_C over the first k rows; `normalize` by |qini(n)|. */
export function qiniCausalml(
  outcome: NumericColumn,
  score: NumericColumn,
  treatment: NumericColumn,
  opts: CausalmlCurveOptions = {},
): CausalmlCurve {
  return buildCurve('qini', outcome, score, treatment, opts, true);
}
