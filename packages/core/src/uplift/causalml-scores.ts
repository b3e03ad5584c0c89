import { checkCausalmlBaseline, lineBaseline, type CausalmlBaseline } from './causalml-baseline.js';
import { causalmlRandomCurve, causalmlRawCurve, normaliseByEnd } from './causalml-curves.js';
import type { NumericColumn, ScoreResult } from './types.js';

/** Options of the CausalML scores. */
export interface CausalmlScoreOptions {
  /** Divide the curves by |their last point| first (default true, as auuc_score and qini_score). */
  normalize?: boolean;
  /**
   * The random baseline (see causalml-baseline.ts): 'line' (default; current releases' straight line from the
   * curve's first to its last point) or 'random10' (older releases' mean of ten random orderings).
   */
  baseline?: CausalmlBaseline;
  /** 'random10': numpy seed (default 42, CausalML's). */
  randomSeed?: number;
  /** 'random10': a raw random curve of the right kind from `causalmlRandomCurve` (gain for AUUC, qini for Qini). */
  randomCurve?: Float64Array;
  /** AUUC only: also compute the random baseline's AUUC (default true). The Qini score always needs it. */
  randomBaseline?: boolean;
}

/** A CausalML score with the random baseline's score beside it. */
export interface CausalmlScoreResult extends ScoreResult {
  /** Mean height of the model's curve (Σ over the n + 1 points / (n + 1)). */
  modelArea: number;
  /** The same for the random baseline; null where not computed. */
  randomArea: number | null;
}

function sum(curve: Float64Array): number {
  let s = 0;
  for (let k = 0; k < curve.length; k++) s += curve[k]!;
  return s;
}

function meanHeight(curve: Float64Array): number {
  return sum(curve) / curve.length;
}

function random10For(
  kind: 'gain' | 'qini',
  outcome: NumericColumn,
  treatment: NumericColumn,
  opts: CausalmlScoreOptions,
): Float64Array {
  const random = opts.randomCurve
    ? Float64Array.from(opts.randomCurve)
    : causalmlRandomCurve(kind, outcome, treatment, opts.randomSeed ?? 42);
  if (random.length !== outcome.length + 1)
    throw new Error(`randomCurve has ${random.length} points, expected ${outcome.length + 1}`);
  return random;
}

/**
 * The model's raw CausalML curve of `kind` and, when `withRandom`, the random baseline's; divided by
 * |their last point| when opts.normalize (default true). Only the model's normalisation reports a warning.
 */
function scoredCurves(
  kind: 'gain' | 'qini',
  label: string,
  outcome: NumericColumn,
  score: NumericColumn,
  treatment: NumericColumn,
  opts: CausalmlScoreOptions,
  withRandom: boolean,
): { model: Float64Array; random: Float64Array | null; warnings: string[] } {
  const warnings: string[] = [];
  const baseline = checkCausalmlBaseline(opts.baseline ?? 'line');
  if (opts.randomCurve && baseline === 'line') throw new Error("randomCurve needs baseline 'random10'");
  const model = causalmlRawCurve(kind, outcome, score, treatment);
  const random10 = withRandom && baseline === 'random10' ? random10For(kind, outcome, treatment, opts) : null;
  if (opts.normalize ?? true) {
    normaliseByEnd(model, label, warnings);
    if (random10) normaliseByEnd(random10, `${label} (random)`, []);
  }
  // 'line' is drawn after normalising, from the curve's own ends, as qini_score draws it.
  const random = withRandom && baseline === 'line' ? lineBaseline(model) : random10;
  return { model, random, warnings };
}

/**
 * AUUC in the CausalML convention (`auuc_score`): the mean of the (by default normalised) cumulative gain
 * over its n + 1 points, AUUC = Σ_k gain(k) / (n + 1). Value = the model's AUUC; `randomArea` = the
 * baseline's mean height: 'line' → the chord's (gain(n)/2; current auuc_score returns no Random entry, this
 * is the chance line its charts draw), 'random10' → older releases' Random column.
 */
export function auucScoreCausalml(
  outcome: NumericColumn,
  score: NumericColumn,
  treatment: NumericColumn,
  opts: CausalmlScoreOptions = {},
): CausalmlScoreResult {
  const { model, random, warnings } = scoredCurves(
    'gain',
    'CausalML AUUC',
    outcome,
    score,
    treatment,
    opts,
    opts.randomBaseline ?? true,
  );
  const modelArea = meanHeight(model);
  return { value: modelArea, warnings, modelArea, randomArea: random ? meanHeight(random) : null };
}

/**
 * Qini score in the CausalML convention (`qini_score`): (Σ_k qini(k) − Σ_k baseline(k)) / (n + 1), k = 0…n,
 * the curve normalised by |its last point| by default. baseline 'line' (default): k·qini(n)/n, so
 * Σ baseline = qini(n)·(n + 1)/2 and the score is the mean height of the curve above its chord;
 * 'random10': the mean of ten random orderings' curves (each normalised by its end).
 */
export function qiniScoreCausalml(
  outcome: NumericColumn,
  score: NumericColumn,
  treatment: NumericColumn,
  opts: CausalmlScoreOptions = {},
): CausalmlScoreResult {
  const {
    model: qini,
    random,
    warnings,
  } = scoredCurves('qini', 'CausalML Qini', outcome, score, treatment, opts, true);
  const sumModel = sum(qini);
  const sumRandom = sum(random!); // withRandom = true: always present
  // (Σ model − Σ random) / (n + 1), in CausalML's order of operations.
  return {
    value: (sumModel - sumRandom) / qini.length,
    warnings,
    modelArea: sumModel / qini.length,
    randomArea: sumRandom / qini.length,
  };
}
