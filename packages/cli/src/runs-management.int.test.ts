import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keys, runConfigSchema, runMetricsSchema, trainingSummarySchema, type RunConfig } from '@bidfcl/contracts';
import {
  RunInProgressError,
  cancelRun,
  createRunRecord,
  deleteRun,
  readRunRecord,
  retryRun,
  runJobs,
  startRun,
  waitForRun,
} from '@bidfcl/runtime';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startAllRoles } from './cluster.js';
import { runToCompletion } from './local-run.js';
import { csvDataset, csvRows, stripTimings, tinyRunConfig, tinySimulatedDataset } from './test-support/fixtures.js';
import { runCli } from './test-support/processes.js';

// Run management (issue 12 §3) against a real Redis and real workers: cancel (queued and mid-training), retry
// under the same id, delete, prune, compare through the CLI, and datasets upload read back by a run.
describe('bidfcl runs: cancel, retry, delete, prune, compare; bidfcl datasets upload', () => {
  let rt: TestRuntime;
  let dataset: Awaited<ReturnType<typeof tinySimulatedDataset>>;
  const cli = (...args: string[]) => runCli(args, rt.env);
  // 60 epochs without early stop: long enough that a cancel sent at the first epoch lands mid-training.
  const training = { methods: ['tsm-rct', 'random'], training: { epochs: 60, batchSize: 256, hidden: [16, 8] } };
  const longConfig = (runId: string): RunConfig =>
    tinyRunConfig(runId, dataset, { ...training, training: { ...training.training, patience: 60 } } as never);

  beforeAll(async () => {
    rt = await createTestRuntime('runs-mgmt');
    dataset = await tinySimulatedDataset(rt.ctx.store, 'mgmt');
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  test('a queued run: refused for deletion, cancelled before any worker takes it, retried to success', async () => {
    await startRun(rt.ctx, tinyRunConfig('mg-queued', dataset, { methods: ['random'] }));
    await expect(deleteRun(rt.ctx, 'mg-queued')).rejects.toBeInstanceOf(RunInProgressError);
    const c = await cancelRun(rt.ctx, 'mg-queued');
    expect(c).toMatchObject({ before: 'queued', cancelled: true, runningJobs: 0 });
    expect(c.removedJobs).toBeGreaterThan(0);
    expect(await runJobs(rt.ctx, 'mg-queued')).toEqual([]);
    const record = await readRunRecord(rt.ctx, 'mg-queued');
    expect(record.status).toBe('cancelled');
    expect(record.error?.message).toMatch(/^cancelled by /);
    expect((await cancelRun(rt.ctx, 'mg-queued')).cancelled).toBe(false);
    // Enqueueing the same id again does not bring it back by itself… unless asked: a cancelled run is resumable.
    const cluster = startAllRoles(rt.ctx, 1);
    try {
      expect(await retryRun(rt.ctx, 'mg-queued')).toEqual({ retried: true });
      expect((await waitForRun(rt.ctx, 'mg-queued')).status).toBe('succeeded');
      expect(await retryRun(rt.ctx, 'mg-queued')).toMatchObject({ retried: false, reason: 'succeeded' });
    } finally {
      await cluster.close();
    }
  });

  test(
    'a run cancelled mid-training stops at its next epoch and stays cancelled; its retry resumes training at ' +
      'its checkpoint and ends with the metrics of an undisturbed run',
    async () => {
      let trainFailed!: (error: string) => void;
      const trainEnded = new Promise<string>((r) => (trainFailed = r));
      let cluster = startAllRoles(rt.ctx, 1, {
        onJobEnd: (e) => e.jobId === 'mg-cancel.train.tsm-rct' && e.status === 'failed' && trainFailed(e.error ?? ''),
      });
      try {
        const reference = await runToCompletion(rt.ctx, longConfig('mg-ref'));
        await startRun(rt.ctx, longConfig('mg-cancel'));
        let cancelling: ReturnType<typeof cancelRun> | undefined;
        const cancelled = await waitForRun(rt.ctx, 'mg-cancel', (e) => {
          if (e.type === 'progress' && e.stage === 'train.tsm-rct' && !cancelling)
            cancelling = cancelRun(rt.ctx, 'mg-cancel');
        });
        expect(cancelled.status).toBe('cancelled');
        // (Whether the training job still counted as running depends on when it reached its next epoch.)
        expect(await cancelling).toMatchObject({ cancelled: true, before: 'running' });
        expect(await trainEnded).toMatch(/run mg-cancel was cancelled/);
        // The training job's failure record, written after the cancel, leaves the run cancelled (closing the
        // workers waits for the records of the jobs that ended).
        await cluster.close();
        cluster = startAllRoles(rt.ctx, 1);
        const after = await readRunRecord(rt.ctx, 'mg-cancel');
        expect(after.stages['train.tsm-rct']?.status).toBe('failed');
        expect(after.status).toBe('cancelled');

        expect(await retryRun(rt.ctx, 'mg-cancel')).toEqual({ retried: true });
        expect((await waitForRun(rt.ctx, 'mg-cancel')).status).toBe('succeeded');
        const summary = trainingSummarySchema.parse(
          await rt.ctx.store.getJson(keys.modelSummary('mg-cancel', 'tsm-rct')),
        );
        expect(summary.extra?.resumedAfterEpoch).toBeGreaterThan(0);
        const metrics = runMetricsSchema.parse(await rt.ctx.store.getJson(keys.reportMetrics('mg-cancel')));
        expect(stripTimings(metrics)).toEqual(stripTimings(reference.metrics));
      } finally {
        await cluster.close();
      }
    },
  );

  test('runs compare, prune (dry run, then for real) and delete through the CLI', async () => {
    const same = JSON.parse((await cli('runs', 'compare', 'mg-ref', 'mg-cancel', '--json')).stdout);
    expect(same.config).toEqual([]);
    expect(same.metrics.length).toBeGreaterThan(0);
    for (const m of same.metrics) expect(m, JSON.stringify(m)).toMatchObject({ diff: 0 });
    const differ = await cli('runs', 'compare', 'mg-queued', 'mg-ref');
    expect(differ.code).toBe(0);
    expect(differ.stdout).toMatch(/^methods\s+\["random"\]\s+\["tsm-rct","random"\]/m);
    expect(differ.stdout).toMatch(/^training\.epochs\s+2\s+60/m);

    // An unfinished run (a record only) is never pruned.
    await createRunRecord(rt.ctx, tinyRunConfig('mg-open', dataset));
    const dry = JSON.parse((await cli('runs', 'prune', '--keep', '1', '--dry-run', '--json')).stdout);
    expect(dry.runs.map((r: { runId: string }) => r.runId).sort()).toEqual(['mg-queued', 'mg-ref']);
    expect(await rt.ctx.store.exists(keys.runJson('mg-ref'))).toBe(true);

    const jobsBefore = (await runJobs(rt.ctx, 'mg-cancel')).length;
    expect(jobsBefore).toBeGreaterThan(0);
    const pruned = await cli('runs', 'prune', '--keep', '1', '--json');
    expect(pruned.code).toBe(0);
    const outcome = JSON.parse(pruned.stdout);
    expect(outcome.runs.map((r: { runId: string }) => r.runId).sort()).toEqual(['mg-queued', 'mg-ref']);
    for (const r of outcome.runs) expect(r.objects).toBeGreaterThan(0);
    expect(await rt.ctx.store.list(keys.runPrefix('mg-ref'))).toEqual([]);
    expect(await runJobs(rt.ctx, 'mg-ref')).toEqual([]);
    // Finished jobs of the kept run are gone from Redis too (with --keep alone, all of them); its record stays.
    expect(outcome.jobsCleaned[rt.env.prefix]).toBeGreaterThanOrEqual(jobsBefore);
    expect(await runJobs(rt.ctx, 'mg-cancel')).toEqual([]);
    // The bench's queues were never used here: cleaning them must not create them (the test leaves nothing behind).
    expect(await rt.ctx.redis.keys(`${rt.env.prefix}-bench:*`)).toEqual([]);
    const listed = JSON.parse((await cli('runs', 'list', '--json')).stdout) as { runId: string }[];
    expect(listed.map((r) => r.runId).sort()).toEqual(['mg-cancel', 'mg-open']);
    expect((await cli('runs', 'show', 'mg-cancel')).code).toBe(2);

    const deleted = await cli('runs', 'delete', 'mg-cancel');
    expect(deleted.stdout).toMatch(/^deleted run mg-cancel: \d+ artefacts, 0 jobs$/m);
    expect(await rt.ctx.store.list(keys.runPrefix('mg-cancel'))).toEqual([]);
    const missing = await cli('runs', 'delete', 'mg-cancel');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no run 'mg-cancel'/);
    const noRule = await cli('runs', 'prune');
    expect(noRule.code).toBe(2);
    expect(noRule.stderr).toMatch(/needs --keep <n> or --older-than <duration>/);
    expect((await cli('runs', 'prune', '--older-than', '3 days')).code).toBe(2);
  });

  test('datasets upload puts local tables into the store, and a run reads them through @latest', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bidfcl-upload-'));
    try {
      await writeFile(path.join(dir, 'rct-a.csv'), csvRows(600, 1));
      await writeFile(path.join(dir, 'rct-b.csv'), csvRows(600, 2));
      const spec = csvDataset({ rct: ['./'] }, 'local');
      await writeFile(path.join(dir, 'dataset.yaml'), JSON.stringify(spec));
      const up = await cli('datasets', 'upload', 'coupons', path.join(dir, 'dataset.yaml'), '--json');
      expect(up.stderr).not.toMatch(/bidfcl datasets/);
      expect(up.code).toBe(0);
      const out = JSON.parse(up.stdout);
      expect(out.version).toMatch(/^\d{8}-\d{6}$/);
      expect(out.files).toBe(2);
      const second = keys
        .datasetPartIn(keys.datasetPrefix('coupons', out.version), 'rct', 1)
        .replace('.parquet', '.csv');
      expect(Buffer.from(await rt.ctx.store.get(second))).toEqual(await readFile(path.join(dir, 'rct-b.csv')));
      expect(out.dataset.splits.rct).toEqual(['store:datasets/coupons/@latest/rct/']);
      expect(await rt.ctx.store.exists(keys.datasetSpec('coupons', out.version))).toBe(true);

      // The tables are gone from where they were: the run can only have read the store's copies.
      await rm(dir, { recursive: true, force: true });
      const config = runConfigSchema.parse({ runId: 'mg-uploaded', dataset: out.dataset, methods: ['random'] });
      const cluster = startAllRoles(rt.ctx, 1);
      try {
        const { record } = await runToCompletion(rt.ctx, config);
        expect(record.config.dataset.splits.rct).toEqual([
          `store:${keys.datasetPrefix('coupons', out.version)}rct/part-00000.csv`,
          `store:${keys.datasetPrefix('coupons', out.version)}rct/part-00001.csv`,
        ]);
      } finally {
        await cluster.close();
      }
      expect((await cli('datasets', 'upload', 'Bad Name', 'x.yaml')).code).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
