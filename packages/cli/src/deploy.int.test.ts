import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keys, type DeployConfigInput, type MethodId, type RunMetrics, type RunRecord } from '@bidfcl/contracts';
import { listVersions, osUser, readPointer, readVersion } from '@bidfcl/runtime';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startAllRoles } from './cluster.js';
import { runToCompletion } from './local-run.js';
import { runCli } from './test-support/processes.js';
import { tinyRunConfig, tinySimulatedDataset } from './test-support/fixtures.js';

// Runs whose config has `deploy`, on the same tiny data with fixed seeds: `always` promotes the best trained
// method; `if-better` re-scores the current version on the new run's test split and promotes only a better one.
// On this data tsm-both beats tsm-rct on both metrics (see the golden metrics), which makes each decision known.
describe('deploy: a run promotes its best method after evaluation', () => {
  let rt: TestRuntime;
  let cluster: ReturnType<typeof startAllRoles>;
  const runs: Record<string, { record: RunRecord; metrics: RunMetrics }> = {};
  const mean = (runId: string, method: string, metric: 'eom' | 'trueValue') =>
    runs[runId]!.metrics.methods.find((m) => m.method === method)!.mean[metric]!;

  async function run(runId: string, methods: MethodId[], deploy: DeployConfigInput) {
    const dataset = await tinySimulatedDataset(rt.ctx.store);
    runs[runId] = await runToCompletion(rt.ctx, tinyRunConfig(runId, dataset, { methods, deploy }));
    return runs[runId]!;
  }

  beforeAll(async () => {
    rt = await createTestRuntime('deploy');
    cluster = startAllRoles(rt.ctx);
  });
  afterAll(async () => {
    await cluster?.close();
    await rt?.cleanup();
  });

  test('always: the best trained method (never oracle or random) becomes version 1', async () => {
    const { record, metrics } = await run('dep-1', ['tsm-rct', 'oracle', 'random'], {
      model: 'nightly',
      promote: 'always',
    });
    expect(record.deploy).toEqual({
      model: 'nightly',
      promote: 'always',
      metric: 'eom',
      margin: 0,
      promoted: true,
      reason: 'promote: always (best by eom)',
      candidate: { method: 'tsm-rct', value: mean('dep-1', 'tsm-rct', 'eom') },
      version: 1,
    });
    expect(metrics.deploy).toEqual(record.deploy);
    expect(record.stages['deploy.score']).toBeUndefined(); // nothing to compare with
    const v1 = await readVersion(rt.ctx.store, 'nightly', 1);
    expect(v1).toMatchObject({ runId: 'dep-1', method: 'tsm-rct', promotedBy: { via: 'cli', user: osUser() } });
    expect(v1.promotedBy.run).toBe('dep-1');
    expect((await readPointer(rt.ctx.store, 'nightly'))!.version).toBe(1);
  });

  test('if-better promotes a better method: the current version, re-scored on the new split, is the bar', async () => {
    const { record } = await run('dep-2', ['tsm-both'], {
      model: 'nightly',
      promote: 'if-better',
      guardrail: { metric: 'trueValue' },
    });
    expect(record.stages['deploy.score']?.status).toBe('succeeded');
    const d = record.deploy!;
    expect(d).toMatchObject({ promoted: true, version: 2, metric: 'trueValue', margin: 0 });
    expect(d.candidate).toEqual({ method: 'tsm-both', value: mean('dep-2', 'tsm-both', 'trueValue') });
    // Same data and seed: version 1 scores dep-2's test split exactly as dep-1's own tsm-rct did.
    expect(d.current).toMatchObject({ version: 1, runId: 'dep-1', method: 'tsm-rct' });
    expect(d.current!.value).toBeCloseTo(mean('dep-1', 'tsm-rct', 'trueValue'), 10);
    expect(d.threshold).toBe(d.current!.value);
    expect(d.candidate!.value).toBeGreaterThan(d.current!.value!);
    expect((await readPointer(rt.ctx.store, 'nightly'))!.version).toBe(2);
  });

  test('if-better refuses a weaker one and records both numbers (run.json, report); current stays', async () => {
    const { record, metrics } = await run('dep-3', ['tsm-rct'], {
      model: 'nightly',
      promote: 'if-better',
      guardrail: { metric: 'eom', margin: 0.01 },
    });
    const d = record.deploy!;
    expect(d.promoted).toBe(false);
    expect(d.version).toBeUndefined();
    expect(d.candidate!.method).toBe('tsm-rct');
    expect(d.candidate!.value).toBeCloseTo(mean('dep-1', 'tsm-rct', 'eom'), 10);
    expect(d.current).toMatchObject({ version: 2, runId: 'dep-2', method: 'tsm-both' });
    expect(d.current!.value).toBeCloseTo(mean('dep-2', 'tsm-both', 'eom'), 10);
    expect(d.threshold).toBeCloseTo(d.current!.value! * 1.01, 12);
    expect(d.candidate!.value).toBeLessThanOrEqual(d.threshold!);
    expect(d.reason).toMatch(/^tsm-rct eom [\d.]+ ≤ [\d.]+ \(version 2 re-scored: [\d.]+, margin 0\.01\)$/);
    expect(metrics.deploy).toEqual(d);
    expect(await listVersions(rt.ctx.store, 'nightly')).toEqual([1, 2]);
    expect((await readPointer(rt.ctx.store, 'nightly'))!.version).toBe(2);

    const html = new TextDecoder().decode(await rt.ctx.store.get(keys.reportHtml('dep-3')));
    expect(html).toContain('<h2>Deployment</h2>');
    expect(html).toContain('<dd>not promoted</dd>');
    const status = await runCli(['status', 'dep-3'], rt.env);
    expect(status.stdout).toMatch(/deploy to nightly: not promoted; tsm-rct eom/);
  });

  test('if-better refuses when the current version needs features the run does not have', async () => {
    const dataset = await tinySimulatedDataset(rt.ctx.store, 'tiny6', { features: 6 });
    const config = tinyRunConfig('dep-4', dataset, {
      methods: ['tsm-rct'],
      deploy: { model: 'nightly', promote: 'if-better' },
    });
    const { record } = await runToCompletion(rt.ctx, config);
    expect(record.deploy).toMatchObject({ promoted: false, current: { version: 2 } });
    expect(record.deploy!.current!.value).toBeUndefined();
    expect(record.deploy!.reason).toMatch(
      /^version 2 was not compared on this run's test split: the table lacks numeric feature\(s\) \S+, \S+ it needs$/,
    );
  });
});
