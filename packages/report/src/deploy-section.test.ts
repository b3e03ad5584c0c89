import { describe, expect, it } from 'vitest';
import { deploySection } from './deploy-section.js';
import { COUPON_ARMS, fixtureMetrics } from './report-fixtures.js';
import { renderReportHtml } from './render-report.js';

const metrics = () =>
  fixtureMetrics({ arms: COUPON_ARMS, hasTruth: true, methods: [{ method: 'tsm-rct', quality: 0.4, epochs: 0 }] });

describe('the deployment section of a report', () => {
  it('is absent for a run without a deploy decision', async () => {
    expect(deploySection(metrics())).toBe('');
    expect(await renderReportHtml(metrics())).not.toContain('<h2>Deployment</h2>');
  });

  it('shows the policy, both numbers, the bar and the decision, escaped', async () => {
    const m = metrics();
    m.deploy = {
      model: 'coupons',
      promote: 'if-better',
      metric: 'eom',
      margin: 0.01,
      promoted: false,
      reason: 'tsm-rct eom 5.64 ≤ 6.0 <b>',
      candidate: { method: 'tsm-rct', value: 5.641109 },
      current: { version: 2, runId: 'r-0', method: 'tsm-both', value: 5.941362 },
      threshold: 6.000776,
    };
    const html = await renderReportHtml(m);
    expect(html).toContain('<h2>Deployment</h2>');
    for (const text of [
      '<dd>coupons</dd>',
      '<dd>promote: if-better; EOM (mean over budgets), margin 0.01</dd>',
      '<dd>tsm-rct: 5.641</dd>',
      '<dd>2 (tsm-both, run r-0): 5.941 on this test split</dd>',
      '<dd>6.001</dd>',
      '<dd>not promoted</dd>',
      '<dd>tsm-rct eom 5.64 ≤ 6.0 &lt;b&gt;</dd>',
    ])
      expect(html).toContain(text);
    m.deploy = { ...m.deploy, promoted: true, version: 3, reason: 'ok' };
    expect(deploySection(m)).toContain('<dd>promoted as version 3</dd>');
  });
});
