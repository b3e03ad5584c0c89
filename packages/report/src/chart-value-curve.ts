import type { MethodMetrics, ValueCurvePoint } from '@bidfcl/contracts';
import type { TopLevelSpec } from 'vega-lite';
import {
  CHART_CONFIG,
  METHOD_DASH_ENCODING,
  drawnMethods,
  methodColourEncoding,
  methodPoints,
  type MethodPoint,
} from './chart-common.js';

/** One panel of the value–budget chart: what it plots of each curve point. */
interface CurvePanel {
  yTitle: string;
  value: (p: ValueCurvePoint) => number | undefined;
}

const PANELS: readonly CurvePanel[] = [
  { yTitle: 'true value (revenue per user)', value: (p) => p.trueValue },
  { yTitle: 'EOM (IPW revenue per user)', value: (p) => p.eom },
];

/** Points of one panel: every method's finite values by budget (money per user). */
export function valueCurvePoints(methods: readonly MethodMetrics[], value: CurvePanel['value']): MethodPoint[] {
  return methodPoints(
    methods,
    (m) => m.valueCurve ?? [],
    (p) => p.budget,
    value,
  );
}

/**
 * The value–budget curve over a dense range of budgets, one line per method (references dashed): true value
 * beside EOM on simulated data, EOM alone otherwise. The run's own budgets are marked by light vertical rules, so
 * the per-budget table can be found on the curve. Null when no method has a curve (metrics written before it).
 */
export function valueCurveChartSpec(
  methods: readonly MethodMetrics[],
  budgets: readonly number[],
  colours: ReadonlyMap<string, string>,
): TopLevelSpec | null {
  const filled = PANELS.map((panel) => ({ panel, points: valueCurvePoints(methods, panel.value) })).filter(
    (p) => p.points.length > 0,
  );
  if (filled.length === 0) return null;
  const drawn = drawnMethods(methods, filled);
  const x = { field: 'x', type: 'quantitative' as const, title: 'budget (money per user)' };
  const colour = methodColourEncoding(drawn, colours);
  return {
    config: CHART_CONFIG,
    spacing: 24,
    hconcat: filled.map(({ panel, points }) => ({
      width: 380,
      height: 240,
      layer: [
        {
          data: { values: budgets.filter(Number.isFinite).map((b) => ({ x: b })) },
          mark: { type: 'rule' as const, color: '#d0d0d0', strokeWidth: 1 },
          encoding: { x },
        },
        {
          data: { values: points },
          mark: { type: 'line' as const },
          encoding: {
            x,
            y: { field: 'y', type: 'quantitative' as const, title: panel.yTitle, scale: { zero: false } },
            color: colour,
            strokeDash: METHOD_DASH_ENCODING,
          },
        },
      ],
    })),
  };
}
