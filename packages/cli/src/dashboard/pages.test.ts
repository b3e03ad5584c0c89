import { describe, expect, test } from 'vitest';
import {
  runConfigSchema,
  type ModelVersion,
  type PopulationSummary,
  type RunMetrics,
  type RunRecord,
} from '@bidfcl/contracts';
import { allocationsPage } from './allocations-page.js';
import { esc, htmlTable, link } from './html.js';
import { modelsPage } from './models-page.js';
import { runPage } from './run-page.js';
import { runsPage, stageTimings } from './runs-page.js';

const config = runConfigSchema.parse({
  runId: 'r1',
  dataset: {
    name: 'd',
    splits: { rct: ['store:a.parquet'], test: ['store:b.parquet'] },
    columns: { arm: 'arm', revenue: 'revenue', cost: 'cost', features: ['x'] },
    arms: [{ name: 'control', zeroCost: true }, { name: 'coupon' }],
  },
  methods: ['random'],
});

const record = (over: Partial<RunRecord> = {}): RunRecord => ({
  runId: 'r1',
  status: 'failed',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:01:00Z',
  config,
  stages: {
    'train.random': { stage: 'train.random', status: 'failed', startedAt: '2026-01-01T00:00:10Z', artefacts: [] },
    'features.finalize': {
      stage: 'features.finalize',
      status: 'succeeded',
      startedAt: '2026-01-01T00:00:01Z',
      seconds: 1.25,
      artefacts: [],
    },
  },
  error: { stage: 'train.random', message: 'bad <script>alert(1)</script> value\nsecond line' },
  ...over,
});

describe('dashboard pages', () => {
  test('esc leaves no markup of untrusted text', () => {
    expect(esc(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
    expect(htmlTable(['h'], [[link('/runs/a"b', '<x>')], [undefined], [0.5]])).toContain(
      '<a href="/runs/a&quot;b">&lt;x&gt;</a>',
    );
    expect(htmlTable(['h'], [[undefined], [0.5]])).toMatch(/<td>—<\/td>.*\n?.*<td>0\.5000<\/td>/s);
  });

  test('runs list: link, status, stages with timings in start order, first line of the error, escaped', () => {
    expect(stageTimings(record())).toBe('features.finalize 1.3 s, train.random failed');
    const html = runsPage([record()], 'store');
    expect(html).toContain('<a href="/runs/r1">r1</a>');
    expect(html).toContain('<span class="failed">failed</span>');
    expect(html).toContain('train.random: bad &lt;script&gt;alert(1)&lt;/script&gt; value');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('second line');
    expect(runsPage([], '/tmp/s')).toContain('no runs in /tmp/s');
  });

  test('run page: the whole failure reason, failed jobs linked to Bull Board, metrics or their absence', () => {
    const failedJob = { stage: 'train.random', queue: 'training' as const, jobId: 'r1.train.random' };
    const html = runPage({
      record: record(),
      metrics: undefined,
      reportAvailable: false,
      failedJobs: [{ ...failedJob, attemptsMade: 5, failedReason: 'reason <b>' }],
    });
    expect(html).toContain('bad &lt;script&gt;alert(1)&lt;/script&gt; value\nsecond line</pre>');
    expect(html).toContain('5 attempt(s)');
    expect(html).toContain('<pre>reason &lt;b&gt;</pre>');
    expect(html).toContain('href="/queues/queue/training/r1.train.random"');
    expect(html).toContain('no report yet');
    expect(html).toContain('no metrics.json yet');
    expect(html).not.toContain('now:');
    const running = { record: record({ status: 'running' }), metrics: undefined, reportAvailable: false };
    expect(runPage({ ...running, failedJobs: [], notice: 'train.random waits for S3 <retry 2>' })).toContain(
      '<p id="run-notice">now: train.random waits for S3 &lt;retry 2&gt;</p>',
    );

    const metrics = {
      methods: [
        { method: 'random', budgets: [{ fraction: 0.5, eom: 1.5, trueValue: 2, oracleCapture: 0.25 }] },
        { method: 'tsm-obs', skipped: 'no observational data', budgets: [] },
      ],
    } as unknown as RunMetrics;
    const ok = runPage({ record: record({ status: 'succeeded' }), metrics, reportAvailable: true, failedJobs: [] });
    expect(ok).toContain('<a href="/runs/r1/report">report</a>');
    expect(ok).toMatch(/<td>random<\/td><td>50%<\/td><td>1\.5000<\/td><td>2<\/td><td>0\.2500<\/td>/);
    expect(ok).toContain('<td>tsm-obs</td><td>skipped</td>');
  });

  test('allocations: summary columns and unfinished ones', () => {
    const s = {
      allocationId: 'night-1',
      model: 'coupons',
      version: 3,
      users: 1200,
      shards: 2,
      lambda: 0.75,
      budget: 100,
      predictedSpend: 99.5,
      predictedRevenue: 400,
      predictedIncrementalRevenue: 40,
      armMix: [
        { arm: 'control', users: 900, share: 0.75 },
        { arm: 'coupon', users: 300, share: 0.25 },
      ],
      decisions: [],
      sha256: 'x',
      timings: { requestedAt: 'a', finishedAt: '2026-01-02T00:00:00Z', seconds: 3 },
    } satisfies PopulationSummary;
    const html = allocationsPage([
      { id: 'night-1', summary: s },
      { id: 'night-2', summary: undefined },
    ]);
    expect(html).toContain('<td>night-1</td><td>coupons@3</td><td>1200</td>');
    expect(html).toContain('control 75.0%, coupon 25.0%');
    expect(html).toMatch(/<td>night-2<\/td><td>unfinished/);
  });

  test('models: each version with its run linked, the current one marked', () => {
    const version = (v: number, runId: string) =>
      ({
        model: 'coupons',
        version: v,
        runId,
        method: 'tsm-rct',
        dataset: { name: 'tiny', version: 'v1' },
        promotedAt: `2026-01-0${v}T00:00:00Z`,
        promotedBy: { via: 'cli', user: 'ann' },
        metrics: { validation: { epoch: 1, valEom: 0.5 }, test: { mean: { eom: 1.25 } } },
      }) as unknown as ModelVersion;
    const html = modelsPage(
      [
        {
          model: 'coupons',
          pointer: { version: 1 } as never,
          current: version(1, 'r1'),
          versions: [1, 2],
          records: [version(1, 'r1'), version(2, 'r<2>')],
        },
      ],
      'store',
    );
    expect(html).toContain('current version: 1; 2 version(s)');
    expect(html).toContain('<tr><td>current</td><td>1</td><td><a href="/runs/r1">r1</a></td><td>tsm-rct</td>');
    expect(html).toContain('<tr><td></td><td>2</td><td><a href="/runs/r%3C2%3E">r&lt;2&gt;</a></td>');
    expect(html).toContain('<td>cli (ann)</td><td>0.5000</td><td>1.2500</td>');
    expect(modelsPage([], 'a<b')).toContain('no models in a&lt;b');
  });
});
