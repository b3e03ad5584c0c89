import type { MethodMetrics } from '@bidfcl/contracts';
import type { TopLevelSpec } from 'vega-lite';
import {
  CHART_CONFIG,
  METHOD_DASH_ENCODING,
  isFiniteNumber,
  methodColourEncoding,
  methodKind,
  thin,
  type MethodPoint,
} from './chart-common.js';

/** Points drawn per curve at most (a Qini curve may have one per test user). */
export const MAX_CURVE_POINTS = 400;

/** What a cumulative-gain chart draws: which curve of the metrics, and the axis titles. */
export interface CurveChart {
  curve: (m: MethodMetrics) => readonly { x: number; y: number }[] | undefined;
  xTitle: string;
  yTitle: string;
}

/** The AUCC cost curve: incremental reward against incremental cost, users taken by predicted ROI. */
export const COST_CURVE: CurveChart = {
  curve: (m) => m.auccCurve,
  xTitle: 'incremental cost Δcost (users by predicted ROI)',
  yTitle: 'incremental revenue Δreward',
};

/** The Qini curve (scikit-uplift convention): incremental outcome against the number of users targeted. */
export const QINI_CURVE: CurveChart = {
  curve: (m) => m.qiniCurve,
  xTitle: 'users targeted (by predicted uplift)',
  yTitle: 'incremental outcome (Qini)',
};

/** Thinned finite points of every method that has the curve. */
export function curvePoints(methods: readonly MethodMetrics[], chart: CurveChart): MethodPoint[] {
  const points: MethodPoint[] = [];
  for (const m of methods) {
    const finite = (chart.curve(m) ?? []).filter((p) => isFiniteNumber(p.x) && isFiniteNumber(p.y));
    for (const p of thin(finite, MAX_CURVE_POINTS))
      points.push({ method: m.method, kind: methodKind(m.method), x: p.x, y: p.y });
  }
  return points;
}

/**
 * The random-targeting line: the straight line between the first and last point of the first curve. All
 * curves are walks over the same test users, so they share both end points; a random ranking gains linearly.
 */
export function randomLine(points: readonly MethodPoint[]): { x: number; y: number }[] {
  const first = points[0];
  if (first === undefined) return [];
  const own = points.filter((p) => p.method === first.method);
  const last = own[own.length - 1] ?? first;
  return [
    { x: first.x, y: first.y },
    { x: last.x, y: last.y },
  ];
}

/** The point `t` of the way along a two-point line (none for an empty line). */
function labelPoint(line: readonly { x: number; y: number }[], t: number): { x: number; y: number }[] {
  const [a, b] = line;
  if (a === undefined || b === undefined) return [];
  return [{ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t }];
}

/** One line per method plus the dashed random-targeting diagonal; null when no method has the curve. */
export function curveChartSpec(
  methods: readonly MethodMetrics[],
  chart: CurveChart,
  colours: ReadonlyMap<string, string>,
): TopLevelSpec | null {
  const points = curvePoints(methods, chart);
  if (points.length === 0) return null;
  const drawn = methods.map((m) => m.method).filter((name) => points.some((p) => p.method === name));
  const x = { field: 'x', type: 'quantitative' as const, title: chart.xTitle };
  const y = { field: 'y', type: 'quantitative' as const, title: chart.yTitle };
  return {
    config: CHART_CONFIG,
    width: 460,
    height: 300,
    layer: [
      {
        data: { values: randomLine(points) },
        mark: { type: 'line', color: '#9a9a9a', strokeDash: [2, 3], strokeWidth: 1.5 },
        encoding: { x, y },
      },
      {
        // Named where it runs, so it is not mistaken for the (also grey, dashed) random method's own curve.
        // Placed at 60% of the way, below-right of the rising line, where the method curves (above it) are not.
        data: { values: labelPoint(randomLine(points), 0.6) },
        mark: {
          type: 'text',
          text: 'random targeting',
          align: 'left',
          baseline: 'top',
          dx: 8,
          dy: 2,
          color: '#666',
          fontSize: 11,
        },
        encoding: { x, y },
      },
      {
        data: { values: points },
        mark: { type: 'line' },
        encoding: { x, y, color: methodColourEncoding(drawn, colours), strokeDash: METHOD_DASH_ENCODING },
      },
    ],
  };
}
