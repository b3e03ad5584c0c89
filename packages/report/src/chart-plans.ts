import type { MethodMetrics, RunMetrics } from '@bidfcl/contracts';
import type { TopLevelSpec } from 'vega-lite';
import { armShareChartSpec } from './chart-arm-shares.js';
import { budgetChartSpec } from './chart-budget.js';
import { COST_CURVE, QINI_CURVE, curveChartSpec } from './chart-curve.js';
import { trainingChartSpec } from './chart-training.js';
import { valueCurveChartSpec } from './chart-value-curve.js';
import { escapeHtml } from './escape.js';
import { ratio } from './format.js';
import { isReference } from './palette.js';
import { selectionLabel } from './selection.js';
import { activeMethods } from './tables.js';

/**
 * One block of the charts part of the report: a heading (h2 for a topic, h3 for a method's sub-chart), an
 * explanatory caption (safe HTML), and either a chart spec to render or a note saying why there is none.
 */
export interface ChartPlan {
  heading: string;
  level: 2 | 3;
  caption: string;
  spec: TopLevelSpec | null;
  /** Shown instead of a chart when `spec` is null (plain text, escaped on output). */
  note: string;
}

const DASH_NOTE = 'Dashed lines: the references (oracle, random).';

/** Caption line of one trained method: the selected epoch and how the last epoch's model compares. */
export function trainingCaption(m: MethodMetrics): string {
  const epochs = m.training.map((e) => e.epoch);
  const last = epochs.length > 0 ? Math.max(...epochs) : undefined;
  const parts: string[] = [];
  parts.push(
    m.selectedEpoch === undefined
      ? 'No selected epoch recorded.'
      : `Selected checkpoint: epoch ${m.selectedEpoch}${last === undefined ? '' : ` of ${last}`} (dashed rule), ` +
          `by ${selectionLabel(m)}.`,
  );
  const le = m.lastEpoch;
  if (le !== undefined) {
    const cmp: string[] = [];
    if (le.meanTrueValueNormalised !== undefined) {
      cmp.push(
        `true value ÷ tsm-rct ${ratio(le.meanTrueValueNormalised)} (selected: ${ratio(m.mean.trueValueNormalised)})`,
      );
    }
    if (le.meanEomNormalised !== undefined) {
      cmp.push(`EOM ÷ tsm-rct ${ratio(le.meanEomNormalised)} (selected: ${ratio(m.mean.eomNormalised)})`);
    }
    if (cmp.length > 0) parts.push(`Last-epoch model: ${cmp.join('; ')}.`);
  }
  return escapeHtml(parts.join(' '));
}

/**
 * Every chart block of the report in page order, with notes where the metrics lack the data:
 * true value (simulator) and EOM against budget, AUCC cost and Qini curves (two-arm data), arm shares, and a
 * training chart per trained method.
 */
export function chartPlans(metrics: RunMetrics, colours: ReadonlyMap<string, string>): ChartPlan[] {
  const methods = activeMethods(metrics);
  const plans: ChartPlan[] = [];

  if (metrics.hasTruth) {
    plans.push({
      heading: 'True value against budget',
      level: 2,
      caption: escapeHtml(
        "The simulator's true revenue of each method's allocation when its true cost meets the budget; the same " +
          "relative to tsm-rct; and the oracle capture, the share of the oracle's gain over random that the method " +
          `reaches (0 = random, 1 = oracle). Higher is better. ${DASH_NOTE}`,
      ),
      spec: budgetChartSpec(
        methods,
        [
          { yTitle: 'true value (revenue)', value: (b) => b.trueValue },
          { yTitle: 'true value ÷ tsm-rct', value: (b) => b.trueValueNormalised },
          { yTitle: 'oracle capture', value: (b) => b.oracleCapture },
        ],
        colours,
      ),
      note: 'No method reported a true value.',
    });
  }

  plans.push({
    heading: 'EOM against budget',
    level: 2,
    caption: escapeHtml(
      'Expected outcome metric: the inverse-propensity-weighted revenue per user on the RCT test rows, at the λ ' +
        `whose IPW cost meets the budget; raw and relative to tsm-rct. Higher is better. ${DASH_NOTE}` +
        (metrics.hasTruth
          ? ' On simulated data the true value above is the sharper comparison (EOM is an estimate).'
          : ''),
    ),
    spec: budgetChartSpec(
      methods,
      [
        { yTitle: 'EOM (IPW revenue per user)', value: (b) => b.eom },
        { yTitle: 'EOM ÷ tsm-rct', value: (b) => b.eomNormalised },
      ],
      colours,
    ),
    note: 'No method reported an EOM.',
  });

  // Metrics written before the curve existed have none: the section is left out rather than shown empty.
  const budgets = [...new Set(methods.flatMap((m) => m.budgets.map((b) => b.budget)))].sort((a, b) => a - b);
  const valueCurve = valueCurveChartSpec(methods, budgets, colours);
  if (valueCurve !== null) {
    plans.push({
      heading: 'Value against budget, every budget',
      level: 2,
      caption: escapeHtml(
        `Revenue per user at ${Math.max(...methods.map((m) => m.valueCurve?.length ?? 0))} budgets from 0 up to ` +
          'where the costliest method stops spending more, from one ' +
          "walk down each method's Lagrangian path (the decisions just before spend first exceeds the budget)" +
          (metrics.hasTruth
            ? ': true value where the true cost meets the budget, and EOM where the IPW cost does. '
            : ': EOM where the IPW cost meets the budget. ') +
          `Grey vertical rules: this run's budgets (the tables). ${DASH_NOTE}`,
      ),
      spec: valueCurve,
      note: '',
    });
  }

  // Left out, not shown empty, where they do not apply (more than two arms): a heading over nothing reads as a fault.
  const twoArm = metrics.arms.length === 2;
  const hasCurves = methods.some((m) => (m.auccCurve?.length ?? 0) > 0 || (m.qiniCurve?.length ?? 0) > 0);
  if (twoArm || hasCurves) {
    plans.push({
      heading: 'Cost curves (AUCC)',
      level: 2,
      caption: escapeHtml(
        'Users sorted by predicted return on investment Δr̂/Δĉ, best first; cumulative incremental revenue against ' +
          'incremental cost. The dotted grey line is random targeting. A curve above it spends better; AUCC (table) ' +
          'is the area under the curve, about 0.5 for random scores.',
      ),
      spec: curveChartSpec(methods, COST_CURVE, colours),
      note: 'No method reported a cost curve.',
    });
    plans.push({
      heading: 'Qini curves',
      level: 2,
      caption: escapeHtml(
        'Users sorted by predicted uplift, best first; cumulative incremental outcome against the number targeted. ' +
          'The dotted grey line is random targeting.',
      ),
      spec: curveChartSpec(methods, QINI_CURVE, colours),
      note: 'No method reported a Qini curve.',
    });
  }

  plans.push({
    heading: 'Arm shares in the allocation',
    level: 2,
    caption: escapeHtml(
      'Share of test users given each arm by the deployment allocation (λ for the budget on predicted costs), per ' +
        'method and budget. Darker is a more intensive arm.',
    ),
    spec: armShareChartSpec(methods, metrics.arms),
    note: 'No method reported arm shares.',
  });

  const trained = methods.filter((m) => !isReference(m.method));
  if (trained.length === 0) return plans;
  plans.push({
    heading: 'Training curves',
    level: 2,
    caption: escapeHtml(
      'Per-epoch history of each trained method: losses and the validation EOM, each panel on its own scale. ' +
        'The dashed vertical rule marks the selected checkpoint; under each chart, what selected it.',
    ),
    spec: null,
    note: '',
  });
  for (const m of trained) {
    const spec = trainingChartSpec(m, colours.get(m.method) ?? '#636363');
    plans.push({
      heading: m.method,
      level: 3,
      caption: spec === null ? '' : trainingCaption(m),
      spec,
      note: 'No training history recorded.',
    });
  }
  return plans;
}
