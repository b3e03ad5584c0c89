import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { allocationSummarySchema, keys } from '@bidfcl/contracts';
import { loadFeatureSplit, loadManifest } from '@bidfcl/io';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startAllRoles } from './cluster.js';
import { runToCompletion } from './local-run.js';
import { tinyRunConfig, tinySimulatedDataset } from './test-support/fixtures.js';

/** Money per user on tiny marketing-8, whose random assignment costs about 0.96 per user: both are feasible. */
const MONEY = [0.4, 0.75];

describe('a run with budgets in money per user (evaluation.budgetsPerUser)', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime('money');
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  test('allocates and evaluates at the money given; metrics give its fraction of the random cost too', async () => {
    const cluster = startAllRoles(rt.ctx);
    const runId = 'money-1';
    try {
      const dataset = await tinySimulatedDataset(rt.ctx.store, 'money');
      const config = tinyRunConfig(runId, dataset, {
        methods: ['tsm-rct', 'oracle', 'random'],
        evaluation: { budgetsPerUser: MONEY },
      });
      expect(config.evaluation.budgets).toBeUndefined();
      const { metrics } = await runToCompletion(rt.ctx, config);

      // The IPW cost is a step function of λ: one user whose decision changes moves it by c_i / (p_i·n) at most.
      const manifest = await loadManifest(rt.ctx.store, runId);
      const t = await loadFeatureSplit(rt.ctx.store, manifest, 'test');
      const step = Math.max(...Array.from(t.cost, (c, i) => c / (manifest.propensities[t.arm[i]!]! * t.n)));
      expect(step).toBeLessThan(0.1 * MONEY[0]!); // so that "meets the budget up to one step" says something

      for (const m of metrics.methods) {
        expect(m.skipped, m.method).toBeUndefined();
        expect(m.budgets.map((b) => b.budget)).toEqual(MONEY);
        expect(m.budgets.map((b) => b.fraction)).toEqual(MONEY.map((b) => b / metrics.randomCost));
        for (const b of m.budgets) {
          expect(b.eomCost, `${m.method} at ${b.budget}`).toBeLessThanOrEqual(b.budget + 1e-9);
          expect(b.budget - b.eomCost, `${m.method} at ${b.budget}`).toBeLessThanOrEqual(step);
        }
        // The deployment allocation spends the same money, on predicted costs, never more.
        const allocation = allocationSummarySchema.parse(
          await rt.ctx.store.getJson(keys.allocationLambda(runId, m.method)),
        );
        expect(allocation.budgets.map((b) => b.budgetPerUser)).toEqual(MONEY);
        for (const b of allocation.budgets)
          if (b.predictedCostPerUser !== null)
            expect(b.predictedCostPerUser).toBeLessThanOrEqual(b.budgetPerUser + 1e-9);
      }
    } finally {
      await cluster.close();
    }
  });
});
