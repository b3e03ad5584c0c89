import { runConfigSchema } from '@bidfcl/contracts';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startAllRoles } from '../cluster.js';
import { runToCompletion } from '../local-run.js';
import { LBCF_FILES, materializeBuiltinDataset } from './index.js';
import { sharedData } from './testing.js';

const data = sharedData(LBCF_FILES.train);

describe('a run on the real lbcf-rct data through the queues', () => {
  let rt: TestRuntime | undefined;
  beforeAll(async () => {
    if (data.present) rt = await createTestRuntime('realdata');
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  test.skipIf(!data.present)(
    'tsm-rct and random are evaluated, tsm-obs is skipped for lack of observational data',
    async () => {
      const { ctx } = rt!;
      const { spec } = await materializeBuiltinDataset('lbcf-rct', {
        dataDir: data.dataDir,
        store: ctx.store,
        seed: 0,
      });
      const config = runConfigSchema.parse({
        runId: 'real-lbcf-1',
        seed: 0,
        dataset: spec,
        methods: ['tsm-rct', 'tsm-obs', 'random'],
        training: { epochs: 1, batchSize: 256, hidden: [8], patience: 1 },
        evaluation: { budgets: [0.5, 1.0] },
      });
      const cluster = startAllRoles(ctx);
      try {
        const { record, metrics } = await runToCompletion(ctx, config);
        expect(record.status).toBe('succeeded');
        const by = Object.fromEntries(metrics.methods.map((m) => [m.method, m]));
        expect(by['tsm-obs']!.skipped).toMatch(/needs observational \(obs\) data/);
        expect(by['tsm-obs']!.budgets).toEqual([]);
        expect(by['tsm-rct']!.skipped).toBeUndefined();
        expect(by['tsm-rct']!.budgets).toHaveLength(2);
        for (const b of by['tsm-rct']!.budgets) {
          expect(Number.isFinite(b.eom)).toBe(true);
          expect(Number.isFinite(b.eomCost)).toBe(true);
          // Revenue per user: labels are ≥ 0, so an IPW mean is too.
          expect(b.eom).toBeGreaterThanOrEqual(0);
          expect(b.armShares).toHaveLength(8);
        }
        expect(by.random!.budgets.every((b) => Number.isFinite(b.eom))).toBe(true);
      } finally {
        await cluster.close();
      }
    },
    120_000,
  );
});
