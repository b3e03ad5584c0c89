import type { BudgetResult, MethodMetrics } from '@bidfcl/contracts';
import type { TopLevelSpec } from 'vega-lite';
import {
  CHART_CONFIG,
  METHOD_DASH_ENCODING,
  drawnMethods,
  methodColourEncoding,
  methodPoints,
  type MethodPoint,
} from './chart-common.js';

/** One panel of a "metric against budget" chart. */
export interface BudgetPanel {
  /** Y-axis title (the panel's only title: a panel title above would repeat it). */
  yTitle: string;
  /** The plotted metric of one budget result; undefined leaves the point out. */
  value: (result: BudgetResult) => number | undefined;
  /** d3 number format of the y axis (e.g. ".0%"); default Vega's. */
  yFormat?: string;
}

/** Points of one panel: every method's finite values, by budget fraction. */
export function budgetPoints(methods: readonly MethodMetrics[], panel: BudgetPanel): MethodPoint[] {
  return methodPoints(
    methods,
    (m) => m.budgets,
    (b) => b.fraction,
    panel.value,
  );
}

/**
 * Side-by-side panels of metrics against the budget (fraction of the random assignment's cost), one line per
 * method, sharing one colour legend. Panels without data are dropped; null when no panel has any.
 */
export function budgetChartSpec(
  methods: readonly MethodMetrics[],
  panels: readonly BudgetPanel[],
  colours: ReadonlyMap<string, string>,
): TopLevelSpec | null {
  const filled = panels
    .map((panel) => ({ panel, points: budgetPoints(methods, panel) }))
    .filter((p) => p.points.length > 0);
  if (filled.length === 0) return null;
  const drawn = drawnMethods(methods, filled);
  const fractions = [...new Set(filled.flatMap((p) => p.points.map((pt) => pt.x)))].sort((a, b) => a - b);
  const lo = fractions[0] ?? 0;
  const hi = fractions[fractions.length - 1] ?? 1;
  // A little room on both sides so the end points are not drawn on the frame.
  const pad = hi > lo ? (hi - lo) * 0.06 : Math.max(Math.abs(lo) * 0.1, 0.05);
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: 'budget (share of random-assignment cost)',
    scale: { domain: [lo - pad, hi + pad], nice: false, zero: false },
    axis: { values: fractions, format: '.0%' },
  };
  const colour = methodColourEncoding(drawn, colours);
  // Three panels and the legend must fit the page column (~1120 px) without being scaled down.
  const width = filled.length >= 3 ? 250 : 300;
  return {
    config: CHART_CONFIG,
    spacing: 24,
    hconcat: filled.map(({ panel, points }) => {
      const y = {
        field: 'y',
        type: 'quantitative' as const,
        title: panel.yTitle,
        scale: { zero: false },
        ...(panel.yFormat === undefined ? {} : { axis: { format: panel.yFormat } }),
      };
      return {
        width,
        height: 220,
        data: { values: points },
        layer: [
          { mark: { type: 'line' as const }, encoding: { x, y, color: colour, strokeDash: METHOD_DASH_ENCODING } },
          { mark: { type: 'point' as const, filled: true, size: 45, opacity: 1 }, encoding: { x, y, color: colour } },
        ],
      };
    }),
  };
}
