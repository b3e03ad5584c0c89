import { runMetricsSchema, type RunMetrics } from '@bidfcl/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { valueCurveChartSpec, valueCurvePoints } from './chart-value-curve.js';
import { amount, ratio } from './format.js';
import { moneyColumns } from './money-table.js';
import { methodColours } from './palette.js';
import { flattenParameters } from './parameters.js';
import { previousRunSection } from './previous-run.js';
import { renderReport, type RenderedReport } from './render-report.js';
import { COUPON_ARMS, fixtureMetrics, withCurrentFields } from './report-fixtures.js';

/** Text of the cells of the `row`-th body row of the table with `id`. */
function tableRow(html: string, id: string, row: number): string[] {
  const table = new RegExp(`<table id="${id}"[\\s\\S]*?</table>`).exec(html)?.[0] ?? '';
  const line = table.split('\n').filter((l) => l.startsWith('<tr'))[row] ?? '';
  return [...line.matchAll(/<t[hd][^>]*>([^<]*)<\/t[hd]>/g)].map((m) => m[1] ?? '');
}

describe('report of current metrics (arm 0, parameters, selectedBy, value curves)', () => {
  const metrics: RunMetrics = withCurrentFields(
    fixtureMetrics({
      arms: COUPON_ARMS,
      hasTruth: true,
      methods: [
        { method: 'tsm-rct', quality: 0.42, epochs: 6 },
        { method: 'dfcl-ppl', quality: 0.5, epochs: 6 },
        { method: 'bidfcl-ppl', quality: 0.65, epochs: 6, bilevel: true },
        { method: 'random', quality: 0, epochs: 0 },
      ],
    }),
  );
  let report: RenderedReport;
  beforeAll(async () => {
    report = await renderReport(runMetricsSchema.parse(JSON.parse(JSON.stringify(metrics))));
  });

  it('draws the value–budget curve beside the other charts, without warnings', () => {
    expect(report.html).toContain('<h2>Value against budget, every budget</h2>');
    expect(report.html).toContain('Revenue per user at 50 budgets from 0 up to where the costliest method stops');
    // true value, EOM, value curve, arm shares, three training charts.
    expect(report.charts).toBe(7);
    expect(report.warnings).toEqual([]);
  });

  it("names each method's selection criterion: Bi-DFCL's lower-level loss, DFCL's EOM, two-stage's loss", () => {
    const caption = (method: string) =>
      new RegExp(`<h3>${method}</h3>\\n<p class="caption">([^<]*)</p>`).exec(report.html)?.[1] ?? '';
    expect(caption('bidfcl-ppl')).toMatch(/by the lowest validation loss \(the lower level&#39;s\)\.$/);
    expect(caption('dfcl-ppl')).toMatch(/by the highest validation EOM\.$/);
    expect(caption('tsm-rct')).toMatch(/by the lowest validation loss\.$/);
  });

  it('shows spend and incremental revenue in money, per user and on the test users', () => {
    const b = metrics.methods[0]!.budgets[0]!;
    const gain = b.eom - 8.1;
    expect(tableRow(report.html, 'money', 0)).toEqual([
      'tsm-rct',
      amount(b.budget),
      amount(b.eomCost),
      amount(b.eomCost * 50000),
      amount(gain),
      amount(gain * 50000),
      ratio(gain / b.eomCost),
    ]);
  });

  it("lists the run's parameters by dotted key, lists joined, empty override blocks left out", () => {
    expect(report.html).toContain('<h2>Run parameters</h2>');
    expect(report.html).toContain('<th scope="row">training.hidden</th><td>128, 64, 32</td>');
    expect(report.html).toContain('<th scope="row">bidfcl.lowerData</th><td>obs+rct</td>');
    expect(report.html).not.toContain('training.teacher');
  });
});

describe('beside the last scheduled run', () => {
  it("shows each method's means beside the previous run's, with the change; nothing without one", async () => {
    const metrics = withCurrentFields(
      fixtureMetrics({ arms: ['a', 'b'], hasTruth: false, methods: [{ method: 'tsm-rct', quality: 0.5, epochs: 0 }] }),
    );
    expect(previousRunSection(metrics)).toBe('');
    const eom = metrics.methods[0]!.mean.eom!;
    metrics.previousRun = {
      runId: 'nightly-202601010000',
      createdAt: '2026-01-01T00:05:00Z',
      methods: [{ method: 'tsm-rct', mean: { eom: eom - 0.25 } }],
    };
    const html = (await renderReport(runMetricsSchema.parse(metrics))).html;
    expect(html).toContain('<h3>Beside the last scheduled run</h3>');
    expect(html).toContain('nightly-202601010000 (2026-01-01T00:05:00Z)');
    expect(tableRow(html, 'previous', 0)).toEqual(['tsm-rct', amount(eom), amount(eom - 0.25), '+0.2500']);
  });
});

describe('pieces', () => {
  it('flattenParameters keeps config order and spells scalars as the config does', () => {
    expect(flattenParameters({ a: { b: 1, c: [0.25, 0.5], d: {} }, e: 'x', f: true })).toEqual([
      ['a.b', '1'],
      ['a.c', '0.25, 0.5'],
      ['e', 'x'],
      ['f', 'true'],
    ]);
  });

  it('moneyColumns leaves the incremental columns out without arm 0', () => {
    const old = fixtureMetrics({ arms: ['a', 'b'], hasTruth: false, methods: [] });
    expect(moneyColumns(old).map((c) => c.header)).toEqual(['budget / user', 'spend / user', 'spend, 50000 users']);
    expect(moneyColumns(withCurrentFields(old))).toHaveLength(6);
  });

  it('the value curve chart has a panel per available value and none without curves', () => {
    const m = withCurrentFields(
      fixtureMetrics({ arms: ['a', 'b'], hasTruth: false, methods: [{ method: 'tsm-rct', quality: 1, epochs: 0 }] }),
    );
    const colours = methodColours(['tsm-rct']);
    expect(valueCurvePoints(m.methods, (p) => p.eom)).toHaveLength(50);
    const spec = valueCurveChartSpec(m.methods, [1], colours) as { hconcat: unknown[] };
    expect(spec.hconcat).toHaveLength(1); // EOM only: no truth
    const withoutCurves = m.methods.map(({ valueCurve: _, ...rest }) => rest);
    expect(valueCurveChartSpec(withoutCurves, [1], colours)).toBeNull();
  });
});
