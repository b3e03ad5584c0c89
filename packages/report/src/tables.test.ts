import type { MethodMetrics, RunMetrics } from '@bidfcl/contracts';
import { describe, expect, it } from 'vitest';
import { methodColours } from './palette.js';
import { ratio } from './format.js';
import { COUPON_ARMS, fixtureMetrics, headlineCells } from './report-fixtures.js';
import { budgetTable, headlineTable, interval, skippedList } from './tables.js';

/** Header texts of the headline table. */
function headlineHeaders(html: string): string[] {
  const head = /<table id="headline"[\s\S]*?<\/thead>/.exec(html)?.[0] ?? '';
  return [...head.matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1] ?? '');
}

function withMeans(
  metrics: RunMetrics,
  name: string,
  patch: Partial<MethodMetrics['mean']>,
  extra: Partial<MethodMetrics> = {},
): void {
  const m = metrics.methods.find((x) => x.method === name);
  if (m === undefined) throw new Error(name);
  Object.assign(m.mean, patch);
  Object.assign(m, extra);
}

describe('headline table', () => {
  const metrics = fixtureMetrics({
    arms: COUPON_ARMS,
    hasTruth: true,
    methods: [
      { method: 'tsm-rct', quality: 0.42, epochs: 30 },
      { method: 'bidfcl-ppl', quality: 0.65, epochs: 30, bilevel: true },
      { method: 'oracle', quality: 1, epochs: 0 },
      { method: 'tsm-ips', quality: 0, epochs: 0, skipped: 'no propensities <b>logged</b>' },
    ],
  });
  withMeans(
    metrics,
    'tsm-rct',
    { trueValueNormalised: 1, oracleCapture: 0.4213, eomNormalised: 1, eom: 9.17734 },
    { trainSeconds: 41.23, selectedEpoch: 18 },
  );
  withMeans(
    metrics,
    'bidfcl-ppl',
    { trueValueNormalised: 1.02537, oracleCapture: 0.65049, eomNormalised: 1.03226, eom: 9.48612 },
    { trainSeconds: 412.66, selectedEpoch: 17 },
  );
  withMeans(
    metrics,
    'oracle',
    { trueValueNormalised: 1.0804, oracleCapture: 1, eomNormalised: 1.0732, eom: 9.862 },
    { trainSeconds: 0 },
  );
  const colours = methodColours(['tsm-rct', 'bidfcl-ppl', 'oracle']);
  const html = headlineTable(metrics, colours);

  it('shows the means formatted per column, in a fixed column order', () => {
    expect(headlineHeaders(html)).toEqual([
      'method',
      'true value ÷ tsm-rct',
      'oracle capture',
      'EOM ÷ tsm-rct',
      'EOM',
      'train s',
      'epoch sel. / last',
    ]);
    expect(headlineCells(html, 'tsm-rct')).toEqual(['1.0000', '0.421', '1.0000', '9.177', '41.2', '18 / 30']);
    expect(headlineCells(html, 'bidfcl-ppl')).toEqual(['1.0254', '0.650', '1.0323', '9.486', '412.7', '17 / 30']);
    // The oracle is a reference: no training time, no epochs.
    expect(headlineCells(html, 'oracle')).toEqual(['1.0804', '1.000', '1.0732', '9.862', '—', '—']);
  });

  it('bolds the best learned method, never a reference, and lists no skipped method', () => {
    expect(html).toContain('<td class="num best">1.0254</td>');
    expect(html).toContain('<td class="num best">0.650</td>');
    expect(html).not.toContain('<td class="num best">1.0804</td>');
    expect(html).not.toContain('<td class="num best">41.2</td>');
    expect(html).not.toContain('tsm-ips');
  });

  it('leaves out columns no method has (no truth, no AUCC on multi-arm data)', () => {
    const real = fixtureMetrics({
      arms: COUPON_ARMS,
      hasTruth: false,
      methods: [{ method: 'tsm-rct', quality: 0.4, epochs: 0 }],
    });
    expect(headlineHeaders(headlineTable(real, colours))).toEqual(['method', 'EOM ÷ tsm-rct', 'EOM', 'train s']);
  });

  it('shows the standard error and the paired difference against tsm-rct with its 95% interval', () => {
    const m = fixtureMetrics({
      arms: COUPON_ARMS,
      hasTruth: false,
      methods: [
        { method: 'tsm-rct', quality: 0.42, epochs: 0 },
        { method: 'bidfcl-ppl', quality: 0.65, epochs: 0 },
      ],
    });
    withMeans(m, 'tsm-rct', { eomNormalised: 1, eomNormalisedSe: 0.012 });
    withMeans(m, 'bidfcl-ppl', {
      eomNormalised: 1.031,
      eomNormalisedSe: 0.0125,
      eomNormalisedVsTsmRct: { diff: 0.031, se: 0.01 },
    });
    const t = headlineTable(m, colours);
    expect(headlineHeaders(t)).toEqual(['method', 'EOM ÷ tsm-rct', 'SE', 'EOM − tsm-rct (95% CI)', 'EOM', 'train s']);
    expect(headlineCells(t, 'bidfcl-ppl').slice(0, 3)).toEqual(['1.0310', '0.0125', '+0.0310 [+0.0114, +0.0506]']);
    expect(headlineCells(t, 'tsm-rct').slice(0, 3)).toEqual(['1.0000', '0.0120', '—']);
  });

  it('lists skipped methods with their reasons, escaped', () => {
    const list = skippedList(metrics);
    expect(list).toContain('<strong>tsm-ips</strong>: no propensities &lt;b&gt;logged&lt;/b&gt;');
    expect(skippedList({ ...metrics, methods: metrics.methods.filter((m) => m.skipped === undefined) })).toBe('');
  });

  it('says so when no method produced results', () => {
    expect(headlineTable({ ...metrics, methods: [] }, colours)).toContain('No method produced results');
  });
});

describe('per-budget table', () => {
  it('has one row per method and budget, the method cell spanning its budgets', () => {
    const metrics = fixtureMetrics({
      arms: COUPON_ARMS,
      hasTruth: true,
      methods: [
        { method: 'tsm-rct', quality: 0.42, epochs: 0 },
        { method: 'bidfcl-ppl', quality: 0.65, epochs: 0 },
      ],
    });
    const html = budgetTable(metrics, methodColours(['tsm-rct', 'bidfcl-ppl']));
    expect(html.match(/<tr[ >]/g)).toHaveLength(1 + 2 * 4);
    expect(html.match(/rowspan="4"/g)).toHaveLength(2);
    const b = metrics.methods[1]?.budgets[2];
    // bidfcl-ppl at 75%: the budget as a share and in raw units (0.75 × 1.84), and true value ÷ tsm-rct.
    expect(html).toContain(`<td class="num">75%</td><td class="num">1.380</td>`);
    expect(html).toContain(`<td class="num">${(b?.trueValueNormalised ?? 0).toFixed(4)}</td>`);
    expect(html).not.toContain('EOM 95% CI'); // these budgets carry no standard error
  });

  it('puts the 95% interval beside each EOM that has a standard error', () => {
    const metrics = fixtureMetrics({
      arms: COUPON_ARMS,
      hasTruth: false,
      methods: [{ method: 'tsm-rct', quality: 0.4, epochs: 0 }],
    });
    const b = metrics.methods[0]!.budgets[0]!;
    b.eom = 9.5;
    b.eomSe = 0.1;
    const html = budgetTable(metrics, methodColours(['tsm-rct']));
    expect(html).toContain('<th scope="col" class="num">EOM 95% CI</th>');
    expect(html).toContain('<td class="num">0.1000</td><td class="num">[9.304, 9.696]</td>');
    expect(interval(1, undefined, ratio)).toBe('—');
  });
});
