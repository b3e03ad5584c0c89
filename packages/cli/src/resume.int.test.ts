import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keys, trainingSummarySchema } from '@bidfcl/contracts';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startAllRoles } from './cluster.js';
import { runToCompletion } from './local-run.js';
import { stripTimings, tinyRunConfig, tinySimulatedDataset } from './test-support/fixtures.js';

describe('a killed trainer resumes from its checkpoint', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime('resume');
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  test(
    'SIGKILL of the sandboxed training process mid-run: ' + 'the retry resumes and gives the uninterrupted result',
    async () => {
      const dataset = await tinySimulatedDataset(rt.ctx.store);
      const extra = {
        methods: ['tsm-rct' as const],
        training: { epochs: 4, batchSize: 256, hidden: [16, 8], patience: 10 },
      };
      const cluster = startAllRoles(rt.ctx);
      try {
        const reference = await runToCompletion(rt.ctx, tinyRunConfig('resume-ref', dataset, extra));

        let killed = false;
        let retried = false;
        const interrupted = await runToCompletion(rt.ctx, tinyRunConfig('resume-kill', dataset, extra), (e) => {
          if (e.type === 'stage' && e.status === 'retrying' && e.stage === 'train.tsm-rct') retried = true;
          if (killed || e.type !== 'progress' || e.stage !== 'train.tsm-rct') return;
          const p = e.progress as { epoch?: number; pid?: number };
          if (p.epoch === 2 && p.pid && p.pid !== process.pid) {
            killed = true;
            process.kill(p.pid, 'SIGKILL');
          }
        });
        expect(killed).toBe(true);
        expect(retried).toBe(true);
        const summary = trainingSummarySchema.parse(
          await rt.ctx.store.getJson(keys.modelSummary('resume-kill', 'tsm-rct')),
        );
        expect(summary.extra?.resumedAfterEpoch).toBeGreaterThanOrEqual(1);
        expect(summary.history.map((h) => h.epoch)).toEqual(reference.metrics.methods[0]!.training.map((h) => h.epoch));
        expect(stripTimings(interrupted.metrics)).toEqual(stripTimings(reference.metrics));
      } finally {
        await cluster.close();
      }
    },
  );
});
