import type { MethodMetrics } from '@bidfcl/contracts';
import type { Config } from 'vega-lite';
import { isReference } from './palette.js';

/** Font stack shared by the page's CSS and the charts' SVG text. */
export const FONT = 'Helvetica, Arial, sans-serif';

/**
 * Vega-Lite configuration for every chart: larger labels than the defaults (the SVGs are scaled down on narrow
 * screens), a light frame and grid, and a legend that does not cut long method names.
 */
export const CHART_CONFIG: Config = {
  font: FONT,
  background: 'white',
  padding: 8,
  view: { stroke: '#ccc' },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e6e6e6', titlePadding: 8 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 220, symbolStrokeWidth: 2.5 },
  header: { labelFontSize: 12, labelFontWeight: 'bold', titleFontSize: 12 },
  // frame 'group': panel titles align with the plot area, not with the varying width of axis labels.
  title: { fontSize: 13, fontWeight: 'bold', anchor: 'start', frame: 'group', offset: 10 },
  line: { strokeWidth: 2 },
};

/** One row of a line chart: a method's value at one x. `kind` sets the dash (references are dashed). */
export interface MethodPoint {
  method: string;
  kind: 'model' | 'reference';
  x: number;
  y: number;
}

/**
 * Every method's finite (x, y) pairs from one of its series (its budgets, its value curve …): the data of a line
 * chart with one line per method. A point without a finite x or y is left out.
 */
export function methodPoints<T>(
  methods: readonly MethodMetrics[],
  series: (m: MethodMetrics) => readonly T[],
  x: (item: T) => number,
  y: (item: T) => number | undefined,
): MethodPoint[] {
  const points: MethodPoint[] = [];
  for (const m of methods)
    for (const item of series(m)) {
      const vx = x(item);
      const vy = y(item);
      if (isFiniteNumber(vy) && Number.isFinite(vx))
        points.push({ method: m.method, kind: methodKind(m.method), x: vx, y: vy });
    }
  return points;
}

/** The methods (in their order) that have a point in at least one panel: the legend's entries. */
export function drawnMethods(
  methods: readonly MethodMetrics[],
  panels: readonly { points: MethodPoint[] }[],
): string[] {
  return methods.map((m) => m.method).filter((name) => panels.some((p) => p.points.some((pt) => pt.method === name)));
}

/** "reference" for oracle and random, "model" otherwise. */
export function methodKind(method: string): 'model' | 'reference' {
  return isReference(method) ? 'reference' : 'model';
}

/**
 * Colour encoding by method with an explicit domain and range, so a method has the same colour in every chart
 * (Vega's default would assign colours by order of appearance in each chart's own data).
 */
export function methodColourEncoding(methods: readonly string[], colours: ReadonlyMap<string, string>) {
  return {
    field: 'method',
    type: 'nominal' as const,
    title: 'method',
    scale: { domain: [...methods], range: methods.map((m) => colours.get(m) ?? '#636363') },
  };
}

/** Solid lines for learned models, dashed for the oracle and random references. */
export const METHOD_DASH_ENCODING = {
  field: 'kind',
  type: 'nominal' as const,
  scale: {
    domain: ['model', 'reference'],
    range: [
      [1, 0],
      [6, 4],
    ],
  },
  legend: null,
};

/** Keeps finite numbers only (a NaN or Infinity would break a scale's domain). */
export function isFiniteNumber(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value);
}

/**
 * At most `max` points of a curve, evenly spaced by index and always keeping the first and the last. Qini
 * curves can have a point per test user; the eye cannot tell the thinned curve apart, the SVG stays small.
 */
export function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max || max < 2) return [...points];
  const out: T[] = [];
  const step = (points.length - 1) / (max - 1);
  for (let k = 0; k < max; k += 1) {
    const point = points[Math.round(k * step)];
    if (point !== undefined) out.push(point);
  }
  return out;
}
