import { selectArms, takeRows } from './arms.js';
import { checkAuccCheckpoints, type AuccCheckpoints } from './aucc-checkpoints.js';
import { auccFromRoi } from './aucc.js';
import { checkCausalmlBaseline, type CausalmlBaseline } from './causalml-baseline.js';
import { causalmlRandomCurve, cumGain, qiniCausalml } from './causalml-curves.js';
import { auucScoreCausalml, qiniScoreCausalml } from './causalml-scores.js';
import { qiniAucScore, upliftAucScore } from './sklift-scores.js';
import type { Curve, NumericColumn } from './types.js';
import { upliftAtK } from './uplift-at-k.js';
import { weightedAverageUplift } from './weighted-average-uplift.js';

/** Metrics of `bidfcl metrics` (EOM is computed by the allocation code, not here). */
export type MetricName = 'qini' | 'auuc' | 'uplift-at-k' | 'aucc' | 'weighted-average-uplift';

/** Which library's definitions apply to qini / auuc. */
export type Convention = 'sklift' | 'causalml';

/** The columns of one table. */
export interface MetricInput {
  /** Arm per row (any numbers; see `control` / `treated`). */
  treatment: NumericColumn;
  /** Outcome (reward) per row, binary or continuous. */
  outcome: NumericColumn;
  /** Cost per row (AUCC only). */
  cost?: NumericColumn;
  /** Score columns by name; for AUCC each is a predicted ROI (rank highest first). */
  scores: Record<string, NumericColumn>;
}

/** Options of {@link computeMetric}. */
export interface MetricOptions {
  metric: MetricName;
  /**
   * qini / auuc convention (default 'sklift'). Ignored by uplift-at-k, weighted-average-uplift (scikit-uplift
   * definitions) and aucc (DFCL).
   */
  convention?: Convention;
  /** Control arm value (default 0). */
  control?: number;
  /** Treated arm value (default: the only other value present; required with more than two arms). */
  treated?: number;
  /** uplift-at-k: k (default 0.3, scikit-uplift's); see `upliftAtK`. */
  k?: number;
  /** uplift-at-k: force k to be read as a fraction or a count. */
  kType?: 'fraction' | 'count';
  /** uplift-at-k and weighted-average-uplift strategy (default 'overall'). */
  strategy?: 'overall' | 'by_group';
  /** sklift qini: perfect curve with or without negative effects (default true). */
  negativeEffect?: boolean;
  /** weighted-average-uplift: number of bins (default 10). */
  bins?: number;
  /** aucc: number of cost checkpoints (default 200). */
  quantiles?: number;
  /** aucc: checkpoint rule, 'first-row' (default; DFCL's Metric.py exactly) or 'interpolated'. */
  checkpoints?: AuccCheckpoints;
  /** causalml qini / auuc: normalise by the curve's end (default true). */
  normalize?: boolean;
  /**
   * causalml qini / auuc: random baseline, 'line' (default; current CausalML: the straight line from the
   * curve's first to its last point) or 'random10' (older releases: mean of ten seeded random orderings).
   */
  baseline?: CausalmlBaseline;
  /** causalml 'random10': numpy seed of the random orderings (default 42). */
  randomSeed?: number;
  /** Thin every returned curve to at most this many points (≥ 2; first and last kept). Values use the full curves. */
  maxCurvePoints?: number;
}

/** One score column's result. */
export interface PerScoreResult {
  value: number;
  curve?: Curve;
  /** Metric-specific numbers (group counts, areas, bins, …); plain JSON. */
  details?: Record<string, unknown>;
}

/** Result of {@link computeMetric}; plain JSON. */
export interface MetricReport {
  metric: MetricName;
  /** The convention actually applied ('dfcl' for AUCC). */
  convention: Convention | 'dfcl';
  control: number;
  treated: number;
  rows: { used: number; treated: number; control: number; dropped: number };
  perScore: Record<string, PerScoreResult>;
  /** CausalML convention: the random baseline (value and curve) of `baseline`, beside the models. */
  randomBaseline?: { value: number; curve: Curve };
  /** Everything that was dropped, replaced or redefined; per-score notes are prefixed with the column name. */
  warnings: string[];
}

/** Keeps at most `max` points, evenly spaced by index, always the first and the last. */
export function thinCurve(curve: Curve, max: number | undefined): Curve {
  const len = curve.x.length;
  if (max === undefined || len <= max) return curve;
  if (!Number.isInteger(max) || max < 2) throw new Error(`maxCurvePoints must be an integer ≥ 2, got ${max}`);
  const x: number[] = [];
  const y: number[] = [];
  let last = -1;
  for (let j = 0; j < max; j++) {
    const i = Math.round((j * (len - 1)) / (max - 1));
    if (i === last) continue;
    x.push(curve.x[i]!);
    y.push(curve.y[i]!);
    last = i;
  }
  return { x, y };
}

function checkColumn(name: string, col: NumericColumn, rows: Int32Array, allowInfinite: boolean): void {
  for (let p = 0; p < rows.length; p++) {
    const v = col[rows[p]!]!;
    if (Number.isNaN(v) || (!allowInfinite && !Number.isFinite(v)))
      throw new Error(`${name} is ${v} at row ${rows[p]}`);
  }
}

/**
 * The entry point of `bidfcl metrics`: one metric for every score column of a table.
 *
 * Rows whose treatment is neither the control nor the treated arm are dropped (warning). Checked, with the
 * column and the first bad row (0-based, in the input) named: equal lengths, outcome (and cost for AUCC)
 * finite, scores not NaN, both arms present. Metric → function:
 * - qini: sklift `qiniAucScore` (curve: Qini curve) | causalml `qiniScoreCausalml` (curve: normalised Qini);
 * - auuc: sklift `upliftAucScore` (curve: uplift curve) | causalml `auucScoreCausalml` (curve: cumulative gain);
 * - uplift-at-k: `upliftAtK`; weighted-average-uplift: `weightedAverageUplift`;
 * - aucc: `auccFromRoi` with each score column as the predicted ROI (needs `cost`), `checkpoints` as given.
 */
export function computeMetric(input: MetricInput, opts: MetricOptions): MetricReport {
  const n = input.treatment.length;
  const lengthOf = (name: string, col: NumericColumn): void => {
    if (col.length !== n) throw new Error(`length mismatch: treatment has ${n} rows but ${name} has ${col.length}`);
  };
  lengthOf('outcome', input.outcome);
  if (input.cost) lengthOf('cost', input.cost);
  const names = Object.keys(input.scores);
  if (names.length === 0) throw new Error('no score columns');
  for (const name of names) lengthOf(`score column '${name}'`, input.scores[name]!);
  if (opts.metric === 'aucc' && !input.cost) throw new Error('AUCC needs a cost column');

  const arms = selectArms(input.treatment, opts.control ?? 0, opts.treated);
  checkColumn('outcome', input.outcome, arms.rows, false);
  if (opts.metric === 'aucc') checkColumn('cost', input.cost!, arms.rows, false);
  for (const name of names) checkColumn(`score column '${name}'`, input.scores[name]!, arms.rows, true);

  const t = arms.treatment;
  const y = takeRows(input.outcome, arms.rows);
  const warnings = [...arms.warnings];
  const convention = opts.convention ?? 'sklift';
  if (convention !== 'sklift' && convention !== 'causalml') throw new Error(`unknown convention ${String(convention)}`);
  const thin = (c: Curve): Curve => thinCurve(c, opts.maxCurvePoints);
  const perScore: Record<string, PerScoreResult> = {};
  const note = (name: string, ws: string[]): void => {
    for (const w of ws) warnings.push(`${name}: ${w}`);
  };
  let applied: Convention | 'dfcl' = convention;
  let randomBaseline: MetricReport['randomBaseline'];

  const byRow = (name: string): Float64Array => takeRows(input.scores[name]!, arms.rows);

  switch (opts.metric) {
    case 'qini':
    case 'auuc': {
      if (convention === 'sklift') {
        for (const name of names) {
          const s = byRow(name);
          const r =
            opts.metric === 'qini'
              ? qiniAucScore(y, s, t, { negativeEffect: opts.negativeEffect ?? true })
              : upliftAucScore(y, s, t);
          note(name, r.warnings);
          perScore[name] = {
            value: r.value,
            curve: thin(r.curve),
            details: {
              area: r.area,
              perfectArea: r.perfectArea,
              baselineArea: r.baselineArea,
              perfectCurve: thin(r.perfectCurve),
              ...(opts.metric === 'qini' ? { negativeEffect: opts.negativeEffect ?? true } : {}),
            },
          };
        }
      } else {
        const kind = opts.metric === 'qini' ? 'qini' : 'gain';
        const normalize = opts.normalize ?? true;
        const baseline = checkCausalmlBaseline(opts.baseline ?? 'line');
        // 'random10' is shared by every score column (ten sorts once); 'line' depends only on the curve's
        // ends, which every ordering shares (the final Qini / gain value does not depend on the order).
        const opt =
          baseline === 'random10'
            ? { normalize, baseline, randomCurve: causalmlRandomCurve(kind, y, t, opts.randomSeed ?? 42) }
            : { normalize, baseline };
        let randomArea = 0;
        for (const name of names) {
          const s = byRow(name);
          const r = opts.metric === 'qini' ? qiniScoreCausalml(y, s, t, opt) : auucScoreCausalml(y, s, t, opt);
          const c = opts.metric === 'qini' ? qiniCausalml(y, s, t, opt) : cumGain(y, s, t, opt);
          note(name, r.warnings);
          randomArea = r.randomArea ?? 0;
          if (randomBaseline === undefined) randomBaseline = { value: 0, curve: thin({ x: c.x, y: c.random ?? [] }) };
          perScore[name] = {
            value: r.value,
            curve: thin({ x: c.x, y: c.y }),
            details: { modelArea: r.modelArea, randomArea: r.randomArea, normalize, baseline },
          };
        }
        // The baseline's own value: its AUUC (mean height), or for Qini its score against itself (0).
        if (randomBaseline) randomBaseline.value = opts.metric === 'qini' ? 0 : randomArea;
      }
      break;
    }
    case 'uplift-at-k': {
      applied = 'sklift';
      if (opts.convention === 'causalml')
        warnings.push('uplift-at-k has one definition (scikit-uplift); convention causalml ignored');
      const k = opts.k ?? 0.3;
      const strategy = opts.strategy ?? 'overall';
      for (const name of names) {
        const r = upliftAtK(y, byRow(name), t, { k, strategy, ...(opts.kType ? { kType: opts.kType } : {}) });
        note(name, r.warnings);
        perScore[name] = {
          value: r.value,
          details: {
            k,
            strategy,
            nTreated: r.nTreated,
            nControl: r.nControl,
            meanTreated: r.meanTreated,
            meanControl: r.meanControl,
          },
        };
      }
      break;
    }
    case 'weighted-average-uplift': {
      applied = 'sklift';
      if (opts.convention === 'causalml')
        warnings.push('weighted-average-uplift has one definition (scikit-uplift); convention causalml ignored');
      const bins = opts.bins ?? 10;
      const strategy = opts.strategy ?? 'overall';
      for (const name of names) {
        const r = weightedAverageUplift(y, byRow(name), t, { bins, strategy });
        note(name, r.warnings);
        perScore[name] = { value: r.value, details: { bins: r.bins, strategy } };
      }
      break;
    }
    case 'aucc': {
      applied = 'dfcl';
      if (opts.convention !== undefined)
        warnings.push(`aucc has one definition (DFCL); convention ${opts.convention} ignored`);
      const cost = takeRows(input.cost!, arms.rows);
      const quantiles = opts.quantiles ?? 200;
      const checkpoints = checkAuccCheckpoints(opts.checkpoints ?? 'first-row');
      for (const name of names) {
        const r = auccFromRoi(byRow(name), t, y, cost, { quantiles, checkpoints });
        note(name, r.warnings);
        perScore[name] = {
          value: r.aucc,
          curve: thin(r.curve),
          details: {
            quantiles,
            checkpoints,
            deltaCostTotal: r.deltaCostTotal,
            deltaRewardTotal: r.deltaRewardTotal,
          },
        };
      }
      break;
    }
    default:
      throw new Error(`unknown metric ${String((opts as { metric: unknown }).metric)}`);
  }

  const report: MetricReport = {
    metric: opts.metric,
    convention: applied,
    control: arms.control,
    treated: arms.treated,
    rows: { used: arms.rows.length, treated: arms.nTreated, control: arms.nControl, dropped: arms.dropped },
    perScore,
    warnings,
  };
  if (randomBaseline) report.randomBaseline = randomBaseline;
  return report;
}
