import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keys, runMetricsSchema } from '@bidfcl/contracts';
import { startS3rver } from '@bidfcl/io/testing';
import { startRun } from '@bidfcl/runtime';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startAllRoles } from './cluster.js';
import { runToCompletion } from './local-run.js';
import { tinyRunConfig, tinySimulatedDataset } from './test-support/fixtures.js';

describe('a run through all five workers, with artefacts on a real S3 server', () => {
  let s3: Awaited<ReturnType<typeof startS3rver>>;
  let rt: TestRuntime;
  beforeAll(async () => {
    s3 = await startS3rver({ bucket: 'pipeline' });
    rt = await createTestRuntime('pipe', {
      storeUrl: `s3://${s3.bucket}/bidfcl`,
      s3: { region: 'us-east-1', endpoint: s3.endpoint, ...s3.credentials },
    });
  });
  afterAll(async () => {
    await rt?.cleanup();
    await s3?.stop();
  });

  test('features → training → allocation → evaluation, recorded in run.json, idempotent on re-enqueue', async () => {
    const cluster = startAllRoles(rt.ctx);
    try {
      const dataset = await tinySimulatedDataset(rt.ctx.store);
      const config = tinyRunConfig('pipe-1', dataset);
      const progress: unknown[] = [];
      const { record, metrics } = await runToCompletion(
        rt.ctx,
        config,
        (e) => e.type === 'progress' && e.stage.startsWith('train.') && progress.push(e.progress),
      );

      expect(record.status).toBe('succeeded');
      const stageNames = Object.keys(record.stages).sort();
      expect(stageNames).toEqual(
        expect.arrayContaining([
          'features.finalize',
          'features.rct.0',
          'features.obs.0',
          'features.val.0',
          'features.test.0',
          'train.tsm-rct',
          'train.tsm-obs',
          'allocate.tsm-rct',
          'allocate.oracle',
          'allocate.random',
          'evaluate',
        ]),
      );
      for (const s of Object.values(record.stages)) {
        expect(s.status).toBe('succeeded');
        expect(s.seconds).toBeGreaterThanOrEqual(0);
        expect(s.startedAt && s.finishedAt).toBeTruthy();
      }
      expect(record.stages['train.tsm-rct']!.artefacts).toContain(keys.model('pipe-1', 'tsm-rct', 'target'));
      expect(progress.length).toBeGreaterThan(0);

      // Artefacts exist where the key builders say, in S3.
      for (const k of [
        keys.featuresManifest('pipe-1'),
        keys.reportMetrics('pipe-1'),
        keys.reportHtml('pipe-1'),
        keys.allocationLambda('pipe-1', 'tsm-rct'),
        keys.allocationPart('pipe-1', 'tsm-rct', 0),
      ]) {
        expect(await rt.ctx.store.exists(k)).toBe(true);
      }
      const stored = runMetricsSchema.parse(await rt.ctx.store.getJson(keys.reportMetrics('pipe-1')));
      expect(stored.methods.map((m) => m.method)).toEqual(['tsm-rct', 'tsm-obs', 'oracle', 'random']);
      const byMethod = Object.fromEntries(metrics.methods.map((m) => [m.method, m]));
      // The oracle captures everything, random nothing, by definition of oracle capture.
      for (const b of byMethod.oracle!.budgets) expect(b.oracleCapture).toBeCloseTo(1, 10);
      for (const b of byMethod.random!.budgets) expect(b.oracleCapture).toBeCloseTo(0, 10);
      for (const b of byMethod['tsm-rct']!.budgets) {
        expect(b.trueValueNormalised).toBeCloseTo(1, 12);
        expect(b.armShares.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 10);
      }

      // Enqueueing the same run again creates no job and leaves run.json as it was.
      const counts = async () =>
        Promise.all(
          (['features', 'training', 'allocation', 'evaluation'] as const).map((q) =>
            rt.ctx.queues.queue(q).getJobCountByTypes('completed', 'waiting', 'active', 'delayed', 'failed'),
          ),
        );
      const before = await counts();
      const again = await startRun(rt.ctx, config);
      expect(again.created).toBe(false);
      expect(await counts()).toEqual(before);
      await rt.ctx.queues.addFlow((await import('@bidfcl/runtime')).featureFlow(record.config));
      expect(await counts()).toEqual(before);
    } finally {
      await cluster.close();
    }
  });
});
