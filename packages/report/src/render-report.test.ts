import { runMetricsSchema, type RunMetrics } from '@bidfcl/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderReport, renderReportHtml, runReportOptions, type RenderedReport } from './render-report.js';
import { COUPON_ARMS, fixtureMetrics, headlineCells } from './report-fixtures.js';

/** Every way a page could reach the network or run code; a self-contained report has none. */
function externalReferences(html: string): string[] {
  const found = html.match(/https?:|<script|<link|<iframe|<img|<object|<embed|\ssrc=|@import|@font-face|url\((?!#)/gi);
  return found ?? [];
}

/** Ids defined in the page, and the ids that `url(#…)` references point to. */
function idsOf(html: string): { defined: string[]; referenced: string[] } {
  return {
    defined: [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1] ?? ''),
    referenced: [...html.matchAll(/url\(#([^)]+)\)/g)].map((m) => m[1] ?? ''),
  };
}

const count = (html: string, needle: string): number => html.split(needle).length - 1;

describe('report of a multi-arm simulator run', () => {
  // Three methods, one skipped; four budgets; training histories for both trained methods.
  const metrics: RunMetrics = fixtureMetrics({
    arms: COUPON_ARMS,
    hasTruth: true,
    methods: [
      { method: 'tsm-rct', quality: 0.42, epochs: 20, trainSeconds: 41.23 },
      { method: 'bidfcl-ppl', quality: 0.65, epochs: 20, bilevel: true, trainSeconds: 412.66 },
      { method: 'tsm-obs', quality: 0, epochs: 0, skipped: 'dataset has no observational split' },
    ],
  });
  const bi = metrics.methods[1];
  if (bi === undefined) throw new Error('fixture');
  Object.assign(bi.mean, {
    trueValueNormalised: 1.02537,
    oracleCapture: 0.65049,
    eomNormalised: 1.03226,
    eom: 9.48612,
  });
  bi.selectedEpoch = 14;
  let report: RenderedReport;

  beforeAll(async () => {
    report = await renderReport(metrics, { generatedAt: '2025-06-01T12:05:00Z' });
  });

  it('draws one SVG per expected chart, without warnings', () => {
    // true value vs budget, EOM vs budget, arm shares, and a training chart per trained method.
    expect(report.charts).toBe(5);
    expect(count(report.html, '<svg')).toBe(5);
    expect(report.warnings).toEqual([]);
    for (const heading of [
      'True value against budget',
      'EOM against budget',
      'Arm shares in the allocation',
      'Training curves',
    ]) {
      expect(report.html).toContain(`<h2>${heading}</h2>`);
    }
    // Sections that do not apply to 8 arms, or that these (older) metrics lack, are left out, not shown empty.
    for (const absent of ['Cost and Qini curves', 'Cost curves (AUCC)', 'Value against budget', 'Run parameters'])
      expect(report.html).not.toContain(absent);
  });

  it('says per method what selected its checkpoint, inferring it for old metrics only where it is fixed', () => {
    expect(report.html).toContain('epoch 14 of 20 (dashed rule), by a criterion this run did not record.');
    expect(report.html).toMatch(
      /Selected checkpoint: epoch \d+ of 20 \(dashed rule\), by the lowest validation loss\./,
    );
    expect(report.html).not.toContain('selected by validation EOM');
  });

  it('shows spend in money but no incremental revenue when the metrics lack arm 0', () => {
    expect(report.html).toContain('<table id="money"');
    expect(report.html).toContain('spend, 50000 users');
    expect(report.html).not.toContain('incr. revenue');
  });

  it('shows the headline numbers as the table formats them', () => {
    expect(headlineCells(report.html, 'bidfcl-ppl')).toEqual([
      '1.0254',
      '0.650',
      '1.0323',
      '9.486',
      '412.7',
      '14 / 20',
    ]);
    expect(headlineCells(report.html, 'tsm-rct').slice(0, 1)).toEqual(['1.0000']);
    expect(report.html.indexOf('id="headline"')).toBeLessThan(report.html.indexOf('<svg'));
  });

  it('lists the skipped method with its reason, outside the table and the charts', () => {
    expect(report.html).toContain('<strong>tsm-obs</strong>: dataset has no observational split');
    expect(count(report.html, 'tsm-obs')).toBe(1);
  });

  it('is self-contained: no scripts, no URLs, no external resources; ids unique and resolvable', () => {
    expect(externalReferences(report.html)).toEqual([]);
    const { defined, referenced } = idsOf(report.html);
    expect(new Set(defined).size).toBe(defined.length);
    for (const id of referenced) expect(defined).toContain(id);
    expect(report.html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(report.html).toContain('<style>');
  });

  it('is byte-identical when rendered again from the same input', async () => {
    const again = await renderReportHtml(metrics, { generatedAt: '2025-06-01T12:05:00Z' });
    expect(again).toBe(report.html);
  });

  it("as a run's report, is the same bytes when drawn again from its metrics.json", async () => {
    const html = await renderReportHtml(metrics, runReportOptions(metrics));
    const stored = runMetricsSchema.parse(JSON.parse(JSON.stringify(metrics)));
    expect(await renderReportHtml(stored, runReportOptions(stored))).toBe(html);
    expect(html).toContain(`<title>bidfcl run ${metrics.runId}</title>`);
    expect(html).toContain(`<dt>report generated</dt><dd>${metrics.createdAt}</dd>`);
  });
});

describe('report of a two-arm run without ground truth', () => {
  const metrics = fixtureMetrics({
    arms: ['control', 'treatment'],
    hasTruth: false,
    curvePoints: 5000,
    methods: [
      { method: 'tsm-rct', quality: 0.82, epochs: 0 },
      { method: 'dfcl-ppl', quality: 0.73, epochs: 0 },
    ],
  });
  let report: RenderedReport;

  beforeAll(async () => {
    report = await renderReport(metrics);
  });

  it('draws the AUCC cost curves and the Qini curves', () => {
    expect(report.html).toContain('<h2>Cost curves (AUCC)</h2>');
    expect(report.html).toContain('<h2>Qini curves</h2>');
    // EOM vs budget, cost curves, Qini curves, arm shares; no truth chart, no training chart.
    expect(report.charts).toBe(4);
    expect(count(report.html, '<svg')).toBe(4);
    expect(report.html).not.toContain('True value against budget');
    expect(report.warnings).toEqual([]);
    expect(report.html).toMatch(/<th scope="col" class="num" title="[^"]*">AUCC<\/th>/);
  });

  it('puts a note where training data is missing instead of a chart', () => {
    expect(count(report.html, '<p class="note">No training history recorded.</p>')).toBe(2);
  });

  it('stays small although each curve has 5000 points (curves are thinned)', () => {
    expect(report.html.length).toBeLessThan(400_000);
  });
});

describe('hostile and missing data', () => {
  it('escapes every string from the metrics, including names inside the charts', async () => {
    const metrics = fixtureMetrics({
      arms: ['<b>control</b>', 'treat"ment'],
      hasTruth: false,
      methods: [{ method: 'tsm-rct', quality: 0.5, epochs: 0 }],
    });
    const m = metrics.methods[0];
    if (m === undefined) throw new Error('fixture');
    m.method = '<script>alert(1)</script>';
    metrics.dataset = 'data"set<&>';
    metrics.runId = "run'</title>";
    const html = await renderReportHtml(metrics);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<b>control');
    expect(html).toContain('run&#39;&lt;/title&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('data&quot;set&lt;&amp;&gt;');
    expect(count(html, '<title>')).toBe(1);
    expect(externalReferences(html)).toEqual([]);
  });

  it('renders a run with no usable numbers without crashing, with notes instead of charts', async () => {
    const metrics: RunMetrics = {
      runId: 'empty',
      dataset: 'none',
      seed: 0,
      arms: [],
      hasTruth: true,
      testRows: 0,
      randomCost: 0,
      createdAt: '2025-01-01T00:00:00Z',
      methods: [
        { method: 'tsm-rct', trainSeconds: 1, budgets: [], training: [], mean: { eom: Number.NaN } },
        {
          method: 'dfcl-ppl',
          trainSeconds: 2,
          budgets: [{ fraction: 0.5, budget: 1, lambda: Number.NaN, eom: Number.NaN, eomCost: 1, armShares: [] }],
          training: [{ epoch: 1 }],
          mean: { eom: Number.NaN },
        },
      ],
    };
    const report = await renderReport(metrics);
    expect(report.charts).toBe(0);
    expect(report.html).not.toContain('NaN');
    for (const note of [
      'No method reported a true value.',
      'No method reported an EOM.',
      'No method reported arm shares.',
    ]) {
      expect(report.html).toContain(note);
    }
    expect(count(report.html, 'No training history recorded.')).toBe(2);
  });
});
