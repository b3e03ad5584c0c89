import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keys, trainingSummarySchema } from '@bidfcl/contracts';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startAllRoles } from './cluster.js';
import { runToCompletion } from './local-run.js';
import { stripTimings, tinyRunConfig, tinySimulatedDataset } from './test-support/fixtures.js';

describe('Bi-DFCL across workers', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime('bidfcl');
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  test('the trainer gets every hypergradient from the hypergradient queue; fixgate asks for none', async () => {
    const dataset = await tinySimulatedDataset(rt.ctx.store);
    const config = tinyRunConfig('bi-1', dataset, {
      methods: ['tsm-rct', 'bidfcl-ppl', 'bidfcl-pifd-explicit', 'bidfcl-fixgate'],
      training: { epochs: 2, batchSize: 256, hidden: [16, 8], patience: 5 },
      // The paper's setting: the hypergradient count below is that of an OBS-only lower level. The default setting
      // runs through the same queues in golden-metrics.int.test.ts.
      bidfcl: { preset: 'paper', k: 4, nCg: 5, warmStartFraction: 0.5, rctBatchSize: 512, teacher: { epochs: 2 } },
    });
    const hypergradJobs: string[] = [];
    const cluster = startAllRoles(rt.ctx, 1, {
      onJobEnd: (e) => e.queue === 'hypergrad' && e.status === 'completed' && hypergradJobs.push(e.jobId),
    });
    try {
      const { metrics, record } = await runToCompletion(rt.ctx, config);
      const summary = async (m: string) =>
        trainingSummarySchema.parse(await rt.ctx.store.getJson(keys.modelSummary('bi-1', m)));
      const ppl = await summary('bidfcl-ppl');
      const explicit = await summary('bidfcl-pifd-explicit');
      const fixgate = await summary('bidfcl-fixgate');
      // 4000 OBS rows / 256 = 15 batches per epoch; epoch 2 is bi-level; one hypergradient every k = 4 batches.
      expect(ppl.extra?.hypergradients).toBe(4);
      expect(explicit.extra?.hypergradients).toBe(4);
      expect(fixgate.extra?.hypergradients).toBe(0);
      expect(hypergradJobs.filter((id) => id.startsWith('bi-1.hypergrad.bidfcl-ppl.')).sort()).toEqual(
        [0, 1, 2, 3].map((s) => `bi-1.hypergrad.bidfcl-ppl.${s}`),
      );
      expect(hypergradJobs.filter((id) => id.includes('bidfcl-fixgate'))).toEqual([]);
      // Hypergradient steps are substeps of the train stage: no stage record each (thousands in a real run).
      expect(record.stages['train.bidfcl-ppl']?.status).toBe('succeeded');
      expect(Object.keys(record.stages).filter((s) => s.startsWith('hypergrad.'))).toEqual([]);
      expect(await rt.ctx.store.list('runs/bi-1/stages/hypergrad')).toEqual([]);
      expect(ppl.history.find((h) => h.epoch === 2)?.upperLoss).toEqual(expect.any(Number));
      // Teacher and Bridge are saved beside the Target; the transient θ/φ snapshots are gone.
      for (const role of ['teacher', 'bridge', 'target'] as const)
        expect(await rt.ctx.store.exists(`${keys.model('bi-1', 'bidfcl-ppl', role)}model.json`)).toBe(true);
      expect(
        (await rt.ctx.store.list('runs/bi-1/models/bidfcl-ppl/hypergrad/')).filter((k) => /theta|phi/.test(k)),
      ).toEqual([]);
      for (const m of metrics.methods) expect(Number.isFinite(m.mean.eom!)).toBe(true);
    } finally {
      await cluster.close();
    }
  });
  test(
    'bidfcl.hypergradInFlight 2: the trainer keeps two steps in flight; the metrics do not depend on how many ' +
      'hypergradient jobs run at once, and differ from the synchronous loop',
    async () => {
      const dataset = await tinySimulatedDataset(rt.ctx.store, 'inflight');
      const run = async (runId: string, hypergradInFlight: number, concurrency: number) => {
        const config = tinyRunConfig(runId, dataset, {
          methods: ['bidfcl-ppl'],
          training: { epochs: 2, batchSize: 256, hidden: [16, 8], patience: 5 },
          bidfcl: {
            k: 4,
            nCg: 5,
            warmStartFraction: 0.5,
            rctBatchSize: 512,
            teacher: { epochs: 2 },
            hypergradInFlight,
          },
        });
        const created: string[] = [];
        const cluster = startAllRoles(rt.ctx, concurrency, {
          onJobEnd: (e) => e.queue === 'hypergrad' && e.status === 'completed' && created.push(e.jobId),
        });
        try {
          const { metrics } = await runToCompletion(rt.ctx, config);
          const summary = trainingSummarySchema.parse(
            await rt.ctx.store.getJson(keys.modelSummary(runId, 'bidfcl-ppl')),
          );
          return { metrics, summary, jobs: created.length };
        } finally {
          await cluster.close();
        }
      };
      const one = await run('inflight-1', 2, 1);
      const two = await run('inflight-2', 2, 2);
      const sync = await run('inflight-0', 0, 1);
      expect(one.summary.extra?.hypergradients).toBeGreaterThan(2);
      expect(one.jobs).toBe(one.summary.extra?.hypergradients);
      expect(two.summary.history).toEqual(one.summary.history);
      expect(stripTimings(two.metrics)).toEqual(stripTimings(one.metrics));
      expect(sync.summary.extra?.hypergradients).toBe(one.summary.extra?.hypergradients);
      expect(sync.summary.history[1]).not.toEqual(one.summary.history[1]);
    },
  );
});
