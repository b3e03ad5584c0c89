import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEBIAS_METHODS } from '@bidfcl/contracts';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startAllRoles } from './cluster.js';
import { runToCompletion } from './local-run.js';
import { tinyRunConfig, tinySimulatedDataset } from './test-support/fixtures.js';

// The debiasing baselines (docs/method.md §3.7–§3.10) go through the queues like every method: trained by the
// observational trainer, allocated and evaluated, their options recorded with the run's parameters.
describe('dr-jt, dragonnet, ltd-dr and autodebias through the queues', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime('debias');
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  test('each trains, is selected by validation MSE, and gets a true value on marketing-8', async () => {
    const dataset = await tinySimulatedDataset(rt.ctx.store, 'debias-m8');
    const config = tinyRunConfig('debias-m8', dataset, {
      methods: ['tsm-rct', ...DEBIAS_METHODS, 'oracle'],
      debias: { metaBatchSize: 256, metaEvery: 2 },
    });
    const cluster = startAllRoles(rt.ctx);
    try {
      const { metrics } = await runToCompletion(rt.ctx, config);
      expect(metrics.parameters).toMatchObject({ debias: { metaBatchSize: 256, metaEvery: 2, lookaheadRate: 0.1 } });
      for (const method of DEBIAS_METHODS) {
        const m = metrics.methods.find((x) => x.method === method);
        expect(m, method).toBeDefined();
        expect(m?.skipped).toBeUndefined();
        for (const b of m?.budgets ?? []) expect(Number.isFinite(b.trueValue), method).toBe(true);
        expect(m?.selectedBy).toBe('valLoss');
      }
    } finally {
      await cluster.close();
    }
  });
});
