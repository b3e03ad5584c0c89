import type { ScoreMatrix } from '@bidfcl/contracts';
import { computeMetric, type MetricName, type MetricOptions, type MetricReport } from '@bidfcl/core';
import { intOption, parse, printed } from '../args.js';
import { CliError, usageError } from '../cli-error.js';
import { fmt, table } from '../output.js';
import { eomAtBudgets, empiricalPropensities, rankingScoreMatrix } from './metrics-eom.js';
import {
  armIndices,
  checkRows,
  listOption,
  numbersOf,
  readScoredTable,
  requireColumns,
  selectTwoArms,
  treatmentColumn,
  type ArmLabel,
  type ScoredTable,
} from './metrics-columns.js';

const METRICS = ['qini', 'auuc', 'uplift-at-k', 'aucc', 'weighted-average-uplift', 'eom'] as const;
type Metric = (typeof METRICS)[number];

export const metricsHelp =
  'bidfcl metrics --input <file> --treatment <col> --outcome <col> [--cost <col>] --score <col>[,<col>…]\n' +
  `               --metric qini|auuc|uplift-at-k|aucc|weighted-average-uplift|eom [options] [--json]
  Evaluates a scored table (CSV or Parquet, by extension or --format) without training.

  Two-arm metrics (one value per --score column):
    qini, auuc               --convention sklift|causalml (default sklift); sklift qini: --negative-effect true|false
                             (default true); causalml: --normalize true|false (default true),
                             --baseline line|random10 (default line: the straight line from the curve's start to
                             its end, as current CausalML; random10: mean of ten seeded random orderings, as
                             CausalML releases before it)
    uplift-at-k              --k <fraction ≤ 1 | count > 1> (default 0.3) [--k-type fraction|count]
                             [--strategy overall|by_group]
    weighted-average-uplift  --bins <n> (default 10) [--strategy overall|by_group]
    aucc                     needs --cost; each --score column is a predicted ROI (Δrevenue/Δcost, highest
                             first); --quantiles <Q> (default 200); --checkpoints first-row|interpolated
                             (default first-row: DFCL's Metric.py exactly, the first row at or past each cost
                             threshold, one per row; interpolated: on the polyline through tie-block ends)
    Arms: --control <arm> (default 0; required when the treatment column holds text) and --treated <arm>
    (default: the only other value). Rows of other arms are dropped with a warning.
    --curve-points <n>: curves in --json are thinned to n points (default 201; 0 leaves them out).

  eom (multi-arm, docs/method.md §4): needs --cost (realised cost). The policy comes from the scores:
    --score r0,r1,…  --cost-score c0,c1,…   predicted revenue and cost per arm (same count M ≥ 2); arm j
                                            is the treatment value j, or the j-th of --arms a,b,…
    --score s (one column, two arms)        a ranking: the highest-scored users get the treated arm until
                                            the budget is spent (only the order matters); arms as above
                                            (--control / --treated)
    --propensities p0,p1,…   assignment probabilities per arm (default: the table's arm shares)
    --budget b1,b2,…         fractions of the uniform random assignment's IPW cost (default 0.25,0.5,0.75,1),
                             or with --budget-abs absolute budgets per user
    For each budget: λ by bisection so that the IPW cost meets the budget, EOM = IPW revenue per user, and
    the 'random' policy at the same budget.

  Exit status: 0, 2 for usage errors (a missing column lists the available ones), 1 for data errors.

  --json prints one object:
    two-arm: { input, rows, metric, convention ('sklift'|'causalml'|'dfcl'), options,
               treatment: { column, control, treated }, outcome, cost?, counts: { used, treated, control, dropped },
               scores: { <col>: { value, curve?: { x: [], y: [] }, details? } },
               randomBaseline?: { value, curve } (causalml), warnings: [] }
    eom:     { input, rows, metric: 'eom', treatment: { column, arms: [] }, outcome, cost,
               scores: { revenue: [cols], cost: [cols] } | { ranking: col }, propensities: [],
               propensitiesFrom: 'table'|'given', randomCost,
               budgets: [{ fraction, budget, lambda, eom, cost, random: { eom, cost } }], warnings: [] }`;

const OPTIONS = {
  input: { type: 'string' },
  format: { type: 'string' },
  treatment: { type: 'string' },
  outcome: { type: 'string' },
  cost: { type: 'string' },
  score: { type: 'string' },
  'cost-score': { type: 'string' },
  metric: { type: 'string' },
  convention: { type: 'string' },
  control: { type: 'string' },
  treated: { type: 'string' },
  arms: { type: 'string' },
  k: { type: 'string' },
  'k-type': { type: 'string' },
  strategy: { type: 'string' },
  bins: { type: 'string' },
  quantiles: { type: 'string' },
  'negative-effect': { type: 'string' },
  normalize: { type: 'string' },
  baseline: { type: 'string' },
  checkpoints: { type: 'string' },
  'curve-points': { type: 'string' },
  propensities: { type: 'string' },
  budget: { type: 'string' },
  'budget-abs': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

/** Which metric-specific flags each metric takes: any other is a usage error rather than silently ignored. */
const APPLIES: Record<string, Metric[]> = {
  convention: ['qini', 'auuc'],
  'negative-effect': ['qini'],
  normalize: ['qini', 'auuc'],
  baseline: ['qini', 'auuc'],
  checkpoints: ['aucc'],
  k: ['uplift-at-k'],
  'k-type': ['uplift-at-k'],
  strategy: ['uplift-at-k', 'weighted-average-uplift'],
  bins: ['weighted-average-uplift'],
  quantiles: ['aucc'],
  'curve-points': ['qini', 'auuc', 'aucc'],
  'cost-score': ['eom'],
  arms: ['eom'],
  propensities: ['eom'],
  budget: ['eom'],
  'budget-abs': ['eom'],
};

const bool = (v: string | undefined, flag: string): boolean | undefined => {
  if (v === undefined) return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw usageError(`--${flag} must be true or false, got '${v}'`);
};

const numberList = (v: string | undefined, flag: string): number[] | undefined => {
  if (v === undefined) return undefined;
  const xs = listOption(v, flag).map(Number);
  if (xs.some((x) => !Number.isFinite(x))) throw usageError(`--${flag} expects comma-separated numbers, got '${v}'`);
  return xs;
};

const label = (v: ArmLabel) => (typeof v === 'string' ? `'${v}'` : String(v));

/** `bidfcl metrics`: one metric of a scored table (see {@link metricsHelp}). */
export async function metricsCommand(argv: string[]): Promise<number> {
  const { values: o } = parse(argv, OPTIONS);
  if (o.help) return printed(metricsHelp);
  for (const flag of ['input', 'treatment', 'outcome', 'score', 'metric'] as const)
    if (o[flag] === undefined) throw usageError(`--${flag} is required\n\n${metricsHelp}`);
  const metric = o.metric as Metric;
  if (!METRICS.includes(metric)) throw usageError(`--metric must be one of ${METRICS.join(', ')}, got '${o.metric}'`);
  for (const [flag, metrics] of Object.entries(APPLIES))
    if (o[flag as keyof typeof o] !== undefined && !metrics.includes(metric))
      throw usageError(`--${flag} applies to ${metrics.join(', ')}, not to ${metric}`);
  const scores = listOption(o.score, 'score');
  const costScores = listOption(o['cost-score'], 'cost-score');
  if ((metric === 'aucc' || metric === 'eom') && o.cost === undefined)
    throw usageError(`--metric ${metric} needs --cost <column> (the realised cost)`);
  if (metric === 'eom' && (scores.length > 1 || costScores.length > 0) && costScores.length !== scores.length)
    throw usageError(
      `eom needs one --cost-score column per --score column (${scores.length}), got ${costScores.length}; ` +
        'or a single --score column (a two-arm ranking) without --cost-score',
    );
  if (metric === 'eom' && scores.length > 1 && (o.control !== undefined || o.treated !== undefined))
    throw usageError(
      '--control/--treated select two arms for a single ranking score; with per-arm scores name the arms with --arms',
    );

  const t = await readScoredTable(o.input!, o.format);
  requireColumns(t, [
    [o.treatment!, 'treatment'],
    [o.outcome!, 'outcome'],
    ...(o.cost !== undefined ? [[o.cost, 'cost'] as [string, string]] : []),
    ...scores.map((s): [string, string] => [s, 'score']),
    ...costScores.map((s): [string, string] => [s, 'cost score']),
  ]);
  const out = metric === 'eom' ? eom(t, o, scores, costScores) : twoArm(t, o, metric, scores);
  if (o.json) console.log(JSON.stringify(out.json, null, 2));
  else console.log(out.text);
  return 0;
}

type Values = ReturnType<typeof parse<typeof OPTIONS>>['values'];

function twoArm(t: ScoredTable, o: Values, metric: MetricName, scoreCols: string[]): { json: unknown; text: string } {
  const tc = treatmentColumn(t, o.treatment!);
  const arms = selectTwoArms(tc, o.control, o.treated);
  const take = (name: string, role: string, allowInfinite = false) => {
    const v = numbersOf(t, name, role);
    checkRows(t, v, name, role, arms.rows, allowInfinite);
    return Float64Array.from(arms.rows, (i) => v[i]!);
  };
  const outcome = take(o.outcome!, 'outcome');
  const cost = metric === 'aucc' ? take(o.cost!, 'cost') : undefined;
  const scores = Object.fromEntries(scoreCols.map((s) => [s, take(s, 'score', true)]));

  const convention = o.convention ?? 'sklift';
  if (convention !== 'sklift' && convention !== 'causalml')
    throw usageError(`--convention must be sklift or causalml, got '${convention}'`);
  const curvePoints = intOption(o['curve-points'], 'curve-points', 201, 0);
  if (curvePoints === 1) throw usageError('--curve-points must be 0 (no curves) or ≥ 2');
  const opts: MetricOptions = { metric, control: 0, treated: 1 };
  if (metric === 'qini' || metric === 'auuc') opts.convention = convention;
  if (curvePoints >= 2) opts.maxCurvePoints = curvePoints;
  if (o.k !== undefined) {
    const k = Number(o.k);
    if (!(k > 0)) throw usageError(`--k must be a positive number (a fraction ≤ 1 or a count > 1), got '${o.k}'`);
    opts.k = k;
  }
  if (o['k-type'] !== undefined) {
    if (o['k-type'] !== 'fraction' && o['k-type'] !== 'count')
      throw usageError(`--k-type must be fraction or count, got '${o['k-type']}'`);
    opts.kType = o['k-type'];
  }
  if (o.strategy !== undefined) {
    if (o.strategy !== 'overall' && o.strategy !== 'by_group')
      throw usageError(`--strategy must be overall or by_group, got '${o.strategy}'`);
    opts.strategy = o.strategy;
  }
  if (o.bins !== undefined) opts.bins = intOption(o.bins, 'bins', 10);
  if (o.quantiles !== undefined) opts.quantiles = intOption(o.quantiles, 'quantiles', 200);
  const negativeEffect = bool(o['negative-effect'], 'negative-effect');
  if (negativeEffect !== undefined) {
    if (convention !== 'sklift') throw usageError('--negative-effect applies to the sklift convention');
    opts.negativeEffect = negativeEffect;
  }
  const normalize = bool(o.normalize, 'normalize');
  if (normalize !== undefined) {
    if (convention !== 'causalml') throw usageError('--normalize applies to the causalml convention');
    opts.normalize = normalize;
  }

  if (o.baseline !== undefined) {
    if (convention !== 'causalml') throw usageError('--baseline applies to the causalml convention');
    if (o.baseline !== 'line' && o.baseline !== 'random10')
      throw usageError(`--baseline must be line or random10, got '${o.baseline}'`);
    opts.baseline = o.baseline;
  }
  if (o.checkpoints !== undefined) {
    if (o.checkpoints !== 'first-row' && o.checkpoints !== 'interpolated')
      throw usageError(`--checkpoints must be first-row or interpolated, got '${o.checkpoints}'`);
    opts.checkpoints = o.checkpoints;
  }
  // The conventions applied are named in the output even when left at their defaults, so that a stored
  // result says which definition produced it.
  if (convention === 'causalml' && (metric === 'qini' || metric === 'auuc')) opts.baseline ??= 'line';
  if (metric === 'aucc') opts.checkpoints ??= 'first-row';

  let report: MetricReport;
  try {
    report = computeMetric({ treatment: arms.t, outcome, ...(cost ? { cost } : {}), scores }, opts);
  } catch (err) {
    throw new CliError(`${metric}: ${(err as Error).message}`, 1);
  }
  const perScore = Object.fromEntries(
    Object.entries(report.perScore).map(([name, r]) => {
      const { curve, ...rest } = r;
      return [name, curvePoints >= 2 && curve ? { ...rest, curve } : rest];
    }),
  );
  const { maxCurvePoints: _drop, metric: _m, control: _c, treated: _t, ...shownOptions } = opts;
  const warnings = [...arms.warnings, ...report.warnings];
  const json = {
    input: t.file,
    rows: t.raw.numRows,
    metric,
    convention: report.convention,
    options: shownOptions,
    treatment: { column: tc.name, control: arms.control, treated: arms.treated },
    outcome: o.outcome,
    ...(o.cost !== undefined ? { cost: o.cost } : {}),
    counts: { used: arms.rows.length, treated: arms.nTreated, control: arms.nControl, dropped: arms.dropped },
    scores: perScore,
    ...(report.randomBaseline
      ? { randomBaseline: curvePoints >= 2 ? report.randomBaseline : { value: report.randomBaseline.value } }
      : {}),
    warnings,
  };
  const rows: (string | number)[][] = scoreCols.map((s) => [s, report.perScore[s]!.value]);
  if (report.randomBaseline) rows.push(['(random)', report.randomBaseline.value]);
  const variant = opts.baseline ? `, baseline ${opts.baseline}` : opts.checkpoints ? `, ${opts.checkpoints}` : '';
  const text = [
    `${metric} (${report.convention}${variant}) on ${t.file}: ` +
      `treated ${label(arms.treated)} vs control ${label(arms.control)} in '${tc.name}'; ` +
      `${arms.rows.length} rows used (${arms.nTreated} treated, ${arms.nControl} control)` +
      `${arms.dropped ? `, ${arms.dropped} dropped` : ''}`,
    table(['score', metric], rows),
    ...(warnings.length ? ['warnings:', ...warnings.map((w) => `  - ${w}`)] : []),
  ].join('\n');
  return { json, text };
}

function eom(t: ScoredTable, o: Values, scoreCols: string[], costCols: string[]): { json: unknown; text: string } {
  const tc = treatmentColumn(t, o.treatment!);
  const ranking = scoreCols.length === 1;
  const m = ranking ? 2 : scoreCols.length;
  if (ranking && o.arms !== undefined)
    throw usageError(
      '--arms names the arms of per-arm score columns; ' +
        'a single ranking score picks two arms with --control / --treated',
    );
  let rows: Int32Array;
  let arm: Int32Array;
  let armLabels: ArmLabel[];
  const warnings: string[] = [];
  if (ranking) {
    const two = selectTwoArms(tc, o.control, o.treated);
    rows = two.rows;
    arm = Int32Array.from(two.t);
    armLabels = [two.control, two.treated];
    warnings.push(...two.warnings);
  } else {
    const idx = armIndices(tc, m, listOption(o.arms, 'arms'));
    rows = Int32Array.from({ length: t.raw.numRows }, (_, i) => i);
    arm = idx.arm;
    armLabels = idx.labels;
  }
  const take = (name: string, role: string, allowInfinite = false) => {
    const v = numbersOf(t, name, role);
    checkRows(t, v, name, role, rows, allowInfinite);
    return Float64Array.from(rows, (i) => v[i]!);
  };
  const revenue = take(o.outcome!, 'outcome');
  const cost = take(o.cost!, 'cost');
  const n = rows.length;
  let scores: ScoreMatrix;
  if (ranking) scores = rankingScoreMatrix(take(scoreCols[0]!, 'score', true));
  else {
    const r = new Float64Array(n * m);
    const c = new Float64Array(n * m);
    scoreCols.forEach((s, j) => take(s, 'revenue score').forEach((v, i) => (r[i * m + j] = v)));
    costCols.forEach((s, j) => take(s, 'cost score').forEach((v, i) => (c[i * m + j] = v)));
    scores = { n, m, r, c };
  }

  let propensities = numberList(o.propensities, 'propensities');
  const given = propensities !== undefined;
  if (propensities) {
    if (propensities.length !== m)
      throw usageError(`--propensities needs ${m} values (one per arm), got ${propensities.length}`);
    if (propensities.some((p) => !(p > 0 && p <= 1)))
      throw usageError(`--propensities must lie in (0, 1], got ${o.propensities}`);
    const sum = propensities.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 1e-6) warnings.push(`--propensities sum to ${sum}, not 1`);
  } else {
    propensities = empiricalPropensities(arm, m);
    const empty = propensities.findIndex((p) => p === 0);
    if (empty >= 0)
      throw new CliError(
        `arm ${label(armLabels[empty]!)} has no rows in ${t.file}: its propensity cannot be estimated ` +
          '(give --propensities, or drop its score columns)',
        1,
      );
  }
  const budgetValues = numberList(o.budget, 'budget') ?? [0.25, 0.5, 0.75, 1];
  if (budgetValues.some((b) => !(b > 0))) throw usageError(`--budget values must be positive, got '${o.budget}'`);
  const absolute = o['budget-abs'] === true;

  let result: ReturnType<typeof eomAtBudgets>;
  try {
    result = eomAtBudgets(scores, { arm, revenue, cost, propensities }, budgetValues, absolute);
  } catch (err) {
    throw new CliError(`eom: ${(err as Error).message}`, 1);
  }
  warnings.push(...result.warnings);
  const json = {
    input: t.file,
    rows: t.raw.numRows,
    metric: 'eom',
    treatment: { column: tc.name, arms: armLabels },
    outcome: o.outcome,
    cost: o.cost,
    scores: ranking ? { ranking: scoreCols[0] } : { revenue: scoreCols, cost: costCols },
    propensities,
    propensitiesFrom: given ? 'given' : 'table',
    randomCost: result.randomCost,
    budgets: result.rows,
    warnings,
  };
  const text = [
    `eom on ${t.file}: ${m} arms (${armLabels.map(label).join(', ')}) in '${tc.name}', ${n} rows; ` +
      `${ranking ? `ranking by '${scoreCols[0]}'` : 'per-arm revenue and cost scores'}; ` +
      `propensities ${propensities.map((p) => fmt(p)).join(', ')} (${given ? 'given' : 'arm shares'})`,
    `uniform random assignment's IPW cost per user: ${fmt(result.randomCost)}`,
    table(
      ['budget (× random cost)', 'budget per user', 'lambda', 'EOM', 'IPW cost', 'random EOM'],
      result.rows.map((r) => [r.fraction, r.budget, r.lambda, r.eom, r.cost, r.random.eom]),
    ),
    ...(warnings.length ? ['warnings:', ...warnings.map((w) => `  - ${w}`)] : []),
  ].join('\n');
  return { json, text };
}
