/**
 * Uplift metrics: scikit-uplift and CausalML conventions, DFCL's AUCC, and the `bidfcl metrics` entry point.
 * Pure functions over typed arrays; results are plain JSON. Conventions and decisions: ./README.md.
 */
export type { Curve, NumericColumn, ScoreResult } from './types.js';
export { upliftCurve, qiniCurve, perfectUpliftCurve, perfectQiniCurve, perfectUpliftScore } from './sklift-curves.js';
export type { PerfectQiniOptions } from './sklift-curves.js';
export { upliftAucScore, qiniAucScore } from './sklift-scores.js';
export type { AucScoreResult, QiniAucOptions } from './sklift-scores.js';
export { upliftAtK } from './uplift-at-k.js';
export type { UpliftAtKOptions, UpliftAtKResult, UpliftAtKStrategy } from './uplift-at-k.js';
export { weightedAverageUplift } from './weighted-average-uplift.js';
export type {
  WeightedAverageUpliftOptions,
  WeightedAverageUpliftResult,
  UpliftBin,
} from './weighted-average-uplift.js';
export { cumLift, cumGain, qiniCausalml, causalmlRandomCurve, CAUSALML_RANDOM_COLUMNS } from './causalml-curves.js';
export type { CausalmlCurve, CausalmlCurveKind, CausalmlCurveOptions } from './causalml-curves.js';
export { auucScoreCausalml, qiniScoreCausalml } from './causalml-scores.js';
export { CAUSALML_BASELINES, linspace } from './causalml-baseline.js';
export type { CausalmlBaseline } from './causalml-baseline.js';
export type { CausalmlScoreOptions, CausalmlScoreResult } from './causalml-scores.js';
export { aucc, auccFromRoi } from './aucc.js';
export type { AuccOptions, AuccResult } from './aucc.js';
export { AUCC_CHECKPOINTS } from './aucc-checkpoints.js';
export type { AuccCheckpoints } from './aucc-checkpoints.js';
export { computeMetric, thinCurve } from './compute-metric.js';
export type {
  MetricInput,
  MetricOptions,
  MetricReport,
  MetricName,
  Convention,
  PerScoreResult,
} from './compute-metric.js';
export { selectArms } from './arms.js';
export type { ArmSelection } from './arms.js';
export { Mt19937 } from './mt19937.js';
