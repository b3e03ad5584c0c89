import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keys, trainingSummarySchema } from '@bidfcl/contracts';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startAllRoles } from './cluster.js';
import { runToCompletion } from './local-run.js';
import { stripTimings, tinyRunConfig, tinySimulatedDataset } from './test-support/fixtures.js';

describe('a killed Bi-DFCL trainer resumes and reuses the hypergradients it had already been given', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime('bidfcl-resume');
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  test(
    'SIGKILL of the sandboxed trainer after hypergradient steps of an unfinished epoch completed: ' +
      'the retry asks for them again, gets them, and the run matches an undisturbed one',
    async () => {
      const dataset = await tinySimulatedDataset(rt.ctx.store);
      // 15 batches per epoch, k = 4: epoch 1 is warm start, epochs 2 and 3 ask for steps 0–3 and 4–7. Those counts
      // are of the paper's OBS-only lower level, hence its preset.
      const extra = {
        methods: ['bidfcl-ppl' as const],
        training: { epochs: 3, batchSize: 256, hidden: [16, 8], patience: 10 },
        bidfcl: {
          preset: 'paper' as const,
          k: 4,
          nCg: 3,
          warmStartFraction: 0.34,
          rctBatchSize: 512,
          teacher: { epochs: 2 },
        },
      };
      let trainerPid: number | undefined;
      let killed = false;
      const cluster = startAllRoles(rt.ctx, 1, {
        onJobEnd: (e) => {
          // Step 5 is in epoch 3: the checkpoint after epoch 2 precedes it, so the retry asks for 4 and 5 again.
          if (killed || !trainerPid || e.status !== 'completed' || !e.jobId.endsWith('.hypergrad.bidfcl-ppl.5')) return;
          if (!e.jobId.startsWith('bidfcl-kill.')) return;
          killed = true;
          process.kill(trainerPid, 'SIGKILL');
        },
      });
      try {
        const reference = await runToCompletion(rt.ctx, tinyRunConfig('bidfcl-ref', dataset, extra));
        let retried = false;
        const interrupted = await runToCompletion(rt.ctx, tinyRunConfig('bidfcl-kill', dataset, extra), (e) => {
          if (e.type === 'stage' && e.status === 'retrying' && e.stage === 'train.bidfcl-ppl') retried = true;
          const p = e.type === 'progress' ? (e.progress as { pid?: number }) : {};
          if (e.type === 'progress' && e.stage === 'train.bidfcl-ppl' && p.pid && p.pid !== process.pid)
            trainerPid ??= p.pid;
        });
        expect(killed).toBe(true);
        expect(retried).toBe(true);
        const summary = trainingSummarySchema.parse(
          await rt.ctx.store.getJson(keys.modelSummary('bidfcl-kill', 'bidfcl-ppl')),
        );
        expect(summary.extra?.resumedAfterEpoch).toBe(2);
        expect(summary.extra?.hypergradients).toBe(8);
        expect(stripTimings(interrupted.metrics)).toEqual(stripTimings(reference.metrics));
        // The steps' artefacts lived as long as the training job that may read them again, and no longer.
        expect(await rt.ctx.store.list('runs/bidfcl-kill/models/bidfcl-ppl/hypergrad/')).toEqual([]);
      } finally {
        await cluster.close();
      }
    },
  );
});
