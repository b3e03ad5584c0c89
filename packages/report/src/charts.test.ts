import { runMetricsSchema, type MethodMetrics } from '@bidfcl/contracts';
import { describe, expect, it } from 'vitest';
import { armLabels, armShareChartSpec, armShareRows } from './chart-arm-shares.js';
import { budgetChartSpec, budgetPoints } from './chart-budget.js';
import { thin } from './chart-common.js';
import { COST_CURVE, MAX_CURVE_POINTS, QINI_CURVE, curveChartSpec, curvePoints, randomLine } from './chart-curve.js';
import { trainingChartSpec, trainingRows } from './chart-training.js';
import { methodColours } from './palette.js';
import { COUPON_ARMS, fixtureMetrics } from './report-fixtures.js';

const multi = fixtureMetrics({
  arms: COUPON_ARMS,
  hasTruth: true,
  methods: [
    { method: 'tsm-rct', quality: 0.42, epochs: 12 },
    { method: 'bidfcl-ppl', quality: 0.65, epochs: 12, bilevel: true },
    { method: 'oracle', quality: 1, epochs: 0 },
  ],
});
const colours = methodColours(multi.methods.map((m) => m.method));
const method = (name: string): MethodMetrics => {
  const m = multi.methods.find((x) => x.method === name);
  if (m === undefined) throw new Error(name);
  return m;
};

describe('fixtures', () => {
  it('satisfy the RunMetrics contract', () => {
    expect(() => runMetricsSchema.parse(multi)).not.toThrow();
    const two = fixtureMetrics({
      arms: ['c', 't'],
      hasTruth: false,
      curvePoints: 50,
      methods: [{ method: 'tsm-rct', quality: 0.5, epochs: 3 }],
    });
    expect(() => runMetricsSchema.parse(two)).not.toThrow();
  });
});

describe('thin', () => {
  it('keeps short curves whole and long ones at most `max` points, first and last included, in order', () => {
    const short = [1, 2, 3];
    expect(thin(short, 400)).toEqual(short);
    const long = Array.from({ length: 50_001 }, (_, i) => i);
    const out = thin(long, 400);
    expect(out).toHaveLength(400);
    expect(out[0]).toBe(0);
    expect(out[399]).toBe(50_000);
    for (let k = 1; k < out.length; k += 1) expect(out[k]).toBeGreaterThan(out[k - 1] ?? Infinity);
    // Evenly spaced: the gaps differ by at most one index (rounding).
    const gaps = out.slice(1).map((v, k) => v - (out[k] ?? 0));
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(1);
  });
});

describe('budget chart', () => {
  it('has one point per method and budget, and drops panels without data', () => {
    const points = budgetPoints(multi.methods, { yTitle: 't', value: (b) => b.trueValue });
    expect(points).toHaveLength(3 * 4);
    expect(points.filter((p) => p.method === 'oracle').every((p) => p.kind === 'reference')).toBe(true);
    const spec = budgetChartSpec(
      multi.methods,
      [
        { yTitle: 'a', value: (b) => b.eom },
        { yTitle: 'none', value: () => undefined },
      ],
      colours,
    ) as { hconcat: unknown[] };
    expect(spec.hconcat).toHaveLength(1);
    expect(budgetChartSpec(multi.methods, [{ yTitle: 'none', value: () => Number.NaN }], colours)).toBeNull();
  });

  it('fixes the colour of each method through an explicit scale domain and range', () => {
    const spec = budgetChartSpec(multi.methods, [{ yTitle: 'a', value: (b) => b.eom }], colours);
    const text = JSON.stringify(spec);
    expect(text).toContain(
      JSON.stringify({ domain: ['tsm-rct', 'bidfcl-ppl', 'oracle'], range: ['#1f77b4', '#d62728', '#222222'] }),
    );
  });
});

describe('curve charts', () => {
  const two = fixtureMetrics({
    arms: ['control', 'treatment'],
    hasTruth: false,
    curvePoints: 5000,
    methods: [
      { method: 'tsm-rct', quality: 0.8, epochs: 0 },
      { method: 'dfcl-ppl', quality: 0.7, epochs: 0 },
    ],
  });

  it('thin each curve and draw random targeting between the first curve’s end points', () => {
    const points = curvePoints(two.methods, QINI_CURVE);
    expect(points.filter((p) => p.method === 'tsm-rct')).toHaveLength(MAX_CURVE_POINTS);
    const curve = two.methods[0]?.qiniCurve ?? [];
    expect(randomLine(points)).toEqual([curve[0], curve[curve.length - 1]]);
    expect(curveChartSpec(two.methods, COST_CURVE, methodColours(['tsm-rct', 'dfcl-ppl']))).not.toBeNull();
  });

  it('give no chart when no method has the curve', () => {
    expect(curveChartSpec(multi.methods, COST_CURVE, colours)).toBeNull();
    expect(randomLine([])).toEqual([]);
  });
});

describe('arm-share chart', () => {
  it('has a row per method, budget and arm, with shares summing to one per bar', () => {
    const rows = armShareRows(multi.methods, COUPON_ARMS);
    expect(rows).toHaveLength(3 * 4 * 8);
    const sums = new Map<string, number>();
    for (const r of rows) sums.set(`${r.method}@${r.budget}`, (sums.get(`${r.method}@${r.budget}`) ?? 0) + r.share);
    for (const s of sums.values()) expect(s).toBeCloseTo(1, 12);
  });

  it('makes arm labels unique and names arms the run did not name', () => {
    expect(armLabels(['a', 'a', ''], 4)).toEqual(['a', 'a (1)', 'arm 2', 'arm 3']);
  });

  it('draws one chart per method with shares, sharing one arm legend', () => {
    const spec = armShareChartSpec(multi.methods, COUPON_ARMS) as {
      concat: { title: { text: string } }[];
      columns: number;
    };
    expect(spec.concat.map((c) => c.title.text)).toEqual(['tsm-rct', 'bidfcl-ppl', 'oracle']);
    expect(spec.columns).toBe(3);
  });

  it('gives no chart when no method reports shares', () => {
    const bare = multi.methods.map((m) => ({ ...m, budgets: m.budgets.map((b) => ({ ...b, armShares: [] })) }));
    expect(armShareChartSpec(bare, COUPON_ARMS)).toBeNull();
  });
});

describe('training chart', () => {
  it('has a row per recorded value and marks only the selected epoch', () => {
    const m = method('bidfcl-ppl');
    const rows = trainingRows(m);
    expect(rows).toHaveLength(12 * 4);
    const selected = rows.filter((r) => r.selected);
    expect(selected).toHaveLength(4);
    expect(new Set(selected.map((r) => r.epoch))).toEqual(new Set([m.selectedEpoch]));
    // Two-stage models record no upper-level loss: three series.
    expect(new Set(trainingRows(method('tsm-rct')).map((r) => r.series)).size).toBe(3);
  });

  it('gives no chart for a method without history', () => {
    expect(trainingChartSpec(method('oracle'), '#000')).toBeNull();
  });
});
