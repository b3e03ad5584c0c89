import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keys } from '@bidfcl/contracts';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startAllRoles } from './cluster.js';
import { runToCompletion } from './local-run.js';
import { tinyRunConfig, tinySimulatedDataset } from './test-support/fixtures.js';

describe('two-arm data through the pipeline', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime('twoarm');
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  test('binary-2: AUCC and Qini with their curves in metrics.json, and drawn in the report', async () => {
    const dataset = await tinySimulatedDataset(rt.ctx.store, 'bin', {}, 'binary-2');
    const cluster = startAllRoles(rt.ctx);
    try {
      const { metrics } = await runToCompletion(
        rt.ctx,
        tinyRunConfig('two-1', dataset, { methods: ['tsm-rct', 'oracle', 'random'] }),
      );
      const byMethod = Object.fromEntries(metrics.methods.map((m) => [m.method, m]));
      for (const m of ['tsm-rct', 'oracle'] as const) {
        const x = byMethod[m]!;
        // Not bounded by 1: on realised outcomes the curve can rise above its end point (users with a negative
        // measured uplift come last), which puts the area above the end point's.
        expect(Number.isFinite(x.aucc!)).toBe(true);
        // Q = 200 checkpoints → 201 points, starting at the origin.
        expect(x.auccCurve).toHaveLength(201);
        expect(x.auccCurve![0]).toEqual({ x: 0, y: 0 });
        expect(Number.isFinite(x.qini!)).toBe(true);
        expect(x.qiniCurve!.length).toBeGreaterThan(2);
      }
      // Ranking by the true ROI is better than a coin: the oracle's AUCC is above 0.5.
      expect(byMethod.oracle!.aucc).toBeGreaterThan(0.5);
      expect(byMethod.random!.aucc).toBeUndefined();
      const html = await rt.ctx.store.getText(keys.reportHtml('two-1'));
      expect(html).toMatch(/AUCC/);
      expect(html).toMatch(/Qini/);
      expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(4);
    } finally {
      await cluster.close();
    }
  });
});
