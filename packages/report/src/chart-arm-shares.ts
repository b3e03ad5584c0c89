import type { MethodMetrics } from '@bidfcl/contracts';
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, isFiniteNumber } from './chart-common.js';
import { percent } from './format.js';
import { armColours } from './palette.js';

/** One stacked segment: the share of test users given `arm` by `method` at one budget. */
export interface ArmShareRow {
  method: string;
  budget: string;
  fraction: number;
  arm: string;
  armIndex: number;
  share: number;
}

/**
 * Arm labels for the legend: the run's arm names, made unique (the colour domain needs distinct values) and
 * extended with "arm k" where a method reports more shares than the run has names.
 */
export function armLabels(arms: readonly string[], count: number): string[] {
  const labels: string[] = [];
  for (let k = 0; k < count; k += 1) {
    const name = arms[k];
    let label = name === undefined || name === '' ? `arm ${k}` : name;
    if (labels.includes(label)) label = `${label} (${k})`;
    labels.push(label);
  }
  return labels;
}

/** Rows of the chart: every finite share of every method and budget. */
export function armShareRows(methods: readonly MethodMetrics[], labels: readonly string[]): ArmShareRow[] {
  const rows: ArmShareRow[] = [];
  for (const m of methods) {
    for (const b of m.budgets) {
      b.armShares.forEach((share, armIndex) => {
        const arm = labels[armIndex];
        if (arm !== undefined && isFiniteNumber(share) && Number.isFinite(b.fraction)) {
          rows.push({ method: m.method, budget: percent(b.fraction), fraction: b.fraction, arm, armIndex, share });
        }
      });
    }
  }
  return rows;
}

/**
 * Small multiples, one per method: at each budget a bar stacked by arm (arm 0 at the bottom), showing how the
 * deployment allocation spreads users over the arms as the budget grows. Null when no method reports shares.
 */
export function armShareChartSpec(methods: readonly MethodMetrics[], arms: readonly string[]): TopLevelSpec | null {
  const count = Math.max(arms.length, ...methods.flatMap((m) => m.budgets.map((b) => b.armShares.length)));
  const labels = armLabels(arms, count);
  const rows = armShareRows(methods, labels);
  if (rows.length === 0) return null;
  const drawn = methods.map((m) => m.method).filter((name) => rows.some((r) => r.method === name));
  const budgets = [...new Map(rows.map((r) => [r.budget, r.fraction])).entries()]
    .sort((a, b) => a[1] - b[1])
    .map(([label]) => label);
  const columns = Math.min(drawn.length, 4);
  const colour = {
    field: 'arm',
    type: 'nominal' as const,
    title: 'arm',
    sort: labels,
    scale: { domain: labels, range: armColours(labels.length) },
  };
  // A concatenation of per-method charts rather than a wrapped facet: a wrapped facet draws x axes under the
  // empty cells of its last row.
  return {
    config: CHART_CONFIG,
    columns,
    spacing: 16,
    resolve: { scale: { color: 'shared' } },
    concat: drawn.map((method, index) => ({
      title: { text: method, anchor: 'middle' as const, fontSize: 12 },
      width: 190,
      height: 150,
      data: { values: rows.filter((r) => r.method === method) },
      mark: { type: 'bar' as const, stroke: 'white', strokeWidth: 0.5 },
      encoding: {
        x: { field: 'budget', type: 'ordinal' as const, sort: budgets, title: 'budget', axis: { labelAngle: 0 } },
        y: {
          field: 'share',
          type: 'quantitative' as const,
          stack: 'zero' as const,
          // The axis title once per row of charts.
          title: index % columns === 0 ? 'share of users' : null,
          scale: { domain: [0, 1] },
          axis: { format: '.0%', tickCount: 5 },
        },
        color: colour,
        order: { field: 'armIndex', type: 'quantitative' as const, sort: 'ascending' as const },
      },
    })),
  };
}
