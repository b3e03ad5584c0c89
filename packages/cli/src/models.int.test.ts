import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keys, modelPointerSchema, runMetricsSchema, type RunMetrics } from '@bidfcl/contracts';
import { loadManifest } from '@bidfcl/io';
import { startS3rver } from '@bidfcl/io/testing';
import { osUser } from '@bidfcl/runtime';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startAllRoles } from './cluster.js';
import { runToCompletion } from './local-run.js';
import { runCli } from './test-support/processes.js';
import { tinyRunConfig, tinySimulatedDataset } from './test-support/fixtures.js';

// The registry through the CLI, on a real S3 server: versions numbered per model, the current pointer and its
// rollback stack, what a version records, and each refusal's message and exit status (1 missing, 2 malformed).
describe('bidfcl models promote, list, show and rollback', () => {
  let s3: Awaited<ReturnType<typeof startS3rver>>;
  let rt: TestRuntime;
  let metrics: RunMetrics;
  const cli = (...args: string[]) => runCli(['models', ...args], rt.env);
  const pointer = async () => modelPointerSchema.parse(await rt.ctx.store.getJson(keys.modelCurrent('coupons')));

  beforeAll(async () => {
    s3 = await startS3rver({ bucket: 'registry' });
    rt = await createTestRuntime('models', {
      storeUrl: `s3://${s3.bucket}/bidfcl`,
      s3: { region: 'us-east-1', endpoint: s3.endpoint, ...s3.credentials },
    });
    const cluster = startAllRoles(rt.ctx);
    try {
      const config = tinyRunConfig('reg-1', await tinySimulatedDataset(rt.ctx.store), {
        methods: ['tsm-rct', 'tsm-both', 'oracle', 'random'],
      });
      metrics = (await runToCompletion(rt.ctx, config)).metrics;
    } finally {
      await cluster.close();
    }
  });
  afterAll(async () => {
    await rt?.cleanup();
    await s3?.stop();
  });

  test('promote makes versions 1, 2 …; list and show tell what each records', async () => {
    const first = await cli('promote', 'reg-1', 'tsm-rct', '--name', 'coupons');
    // (stderr may hold the AWS SDK's Node-version notice on an S3 store; no message of ours.)
    expect(first.stderr).not.toMatch(/bidfcl models/);
    expect(first.stdout).toBe("promoted run reg-1's tsm-rct as coupons version 1 (now current)\n");
    expect(first.code).toBe(0);
    const second = await cli('promote', 'reg-1', 'tsm-both', '--name', 'coupons');
    expect(second.stdout).toMatch(/as coupons version 2 \(now current\)/);

    const list = await cli('list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/coupons\s+2\s+2\s+reg-1\s+tsm-both\s+\S+\s+cli \(/);
    expect(JSON.parse((await cli('list', '--json')).stdout)).toEqual([
      expect.objectContaining({ model: 'coupons', current: 2, versions: [1, 2], runId: 'reg-1', method: 'tsm-both' }),
    ]);

    const shown = JSON.parse((await cli('show', 'coupons', '--json')).stdout);
    const manifest = await loadManifest(rt.ctx.store, 'reg-1');
    const both = metrics.methods.find((m) => m.method === 'tsm-both')!;
    expect(shown).toMatchObject({ model: 'coupons', version: 2, current: true, runId: 'reg-1', method: 'tsm-both' });
    expect(shown.encoding).toEqual({
      featureNames: manifest.featureNames,
      mean: manifest.mean,
      std: manifest.std,
      vocab: manifest.vocab,
      arms: manifest.arms,
      targetScale: manifest.targetScale,
    });
    expect(shown.config.runId).toBe('reg-1');
    expect(shown.metrics.test).toEqual({ testRows: metrics.testRows, mean: both.mean, budgets: both.budgets });
    expect(shown.metrics.validation).toEqual(both.training.find((e) => e.epoch === both.selectedEpoch));
    expect(shown.promotedBy).toEqual({ via: 'cli', user: osUser() });
    expect(shown.weights).toBe(keys.modelWeights('coupons', 2));
    expect(shown.copiedFrom).toBe(keys.model('reg-1', 'tsm-both', 'target'));
    for (const file of ['model.json', 'weights.bin']) {
      const copy = Buffer.from(await rt.ctx.store.get(`${shown.weights}${file}`));
      expect(copy.equals(Buffer.from(await rt.ctx.store.get(`${shown.copiedFrom}${file}`)))).toBe(true);
    }

    const old = await cli('show', 'coupons@1');
    expect(old.code).toBe(0);
    expect(old.stdout).toContain('model coupons, version 1 (not current; current is 2)');
    expect(old.stdout).toMatch(/run +reg-1, method tsm-rct, dataset tiny\/v1/);
    expect(old.stdout).toMatch(/features +8: 8 numeric, 0 categorical/);
    expect(old.stdout).toMatch(/budget +EOM +true value +oracle capture/);
  });

  test('rollback walks back through the versions that were current; with none left it fails (exit 1)', async () => {
    expect((await cli('promote', 'reg-1', 'tsm-rct', '--name', 'coupons')).stdout).toMatch(/version 3/);
    expect((await pointer()).previous).toEqual([1, 2]);
    const back = await cli('rollback', 'coupons');
    expect(back.stdout).toBe('coupons: current is version 2 again (was 3)\n');
    expect((await cli('rollback', 'coupons')).stdout).toBe('coupons: current is version 1 again (was 2)\n');
    const none = await cli('rollback', 'coupons');
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/model 'coupons' has no earlier version to roll back to: version 1 is current/);
    expect((await pointer()).version).toBe(1);

    // A promote after rollbacks stacks the version it replaces, as any promote does.
    expect((await cli('promote', 'reg-1', 'tsm-both', '--name', 'coupons')).stdout).toMatch(/version 4/);
    const p = await pointer();
    expect(p).toMatchObject({ version: 4, previous: [1] });
    expect(p.moves.map((m) => [m.action, m.from, m.to])).toEqual([
      ['promote', undefined, 1],
      ['promote', 1, 2],
      ['promote', 2, 3],
      ['rollback', 3, 2],
      ['rollback', 2, 1],
      ['promote', 1, 4],
    ]);
    expect((await cli('rollback', 'coupons')).stdout).toMatch(/current is version 1 again \(was 4\)/);
  });

  test.each([
    [['show', 'nope'], 1, /model 'nope' not found in .*models\/ \(models: coupons\)/],
    [['show', 'coupons@9'], 1, /model 'coupons' has no version 9 \(versions: 1, 2, 3, 4\)/],
    [['show', 'coupons@x'], 2, /invalid version 'x' in 'coupons@x'/],
    [['rollback', 'nope'], 1, /model 'nope' not found/],
    [['promote', 'reg-1', 'tsm-obs', '--name', 'c2'], 1, /run 'reg-1' did not train 'tsm-obs' \(its methods: tsm-rct/],
    [['promote', 'no-run', 'tsm-rct', '--name', 'c2'], 1, /run 'no-run' does not exist in /],
    [['promote', 'reg-1', 'oracle', '--name', 'c2'], 2, /'oracle' is a reference without a model/],
    [['promote', 'reg-1', 'magic', '--name', 'c2'], 2, /unknown method 'magic'/],
    [['promote', 'reg-1', 'tsm-rct', '--name', 'Bad/Name'], 2, /invalid model name 'Bad\/Name': use 1-128/],
    [['promote', 'reg-1', 'tsm-rct'], 2, /models promote needs <runId> <method> --name <model>/],
    [['fly'], 2, /unknown models command 'fly'/],
  ])('models %j exits %i', async (args, code, message) => {
    const r = await cli(...args);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(code);
  });

  test("a version outlives its run: deleting the run's artefacts leaves every version loadable", async () => {
    expect(await rt.ctx.store.list('models/c2/')).toEqual([]); // the refused promotes wrote nothing
    const metricsBefore = runMetricsSchema.parse(await rt.ctx.store.getJson(keys.reportMetrics('reg-1')));
    expect(metricsBefore.methods.length).toBe(4);
    expect(await rt.ctx.store.deletePrefix(keys.runPrefix('reg-1'))).toBeGreaterThan(0);
    const shown = await cli('show', 'coupons@2', '--json');
    expect(shown.code).toBe(0);
    const v = JSON.parse(shown.stdout);
    expect(await rt.ctx.store.exists(`${v.weights}weights.bin`)).toBe(true);
    const again = await cli('promote', 'reg-1', 'tsm-rct', '--name', 'coupons');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/run 'reg-1' does not exist/);
  });
});
