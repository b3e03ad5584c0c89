import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { jobIds, keys, runConfigSchema, type JobPayloadInput } from '@bidfcl/contracts';
import { createTestRuntime, deletePrefix, type TestRuntime } from './testing/index.js';
import { JobVanishedError, waitForJob } from './queues.js';
import { startRun } from './runs.js';
import { readRunRecord, recordStage } from './run-store.js';
import { RunLostError, waitForRun } from './wait.js';

// Issue 13, item 3: a Redis that lost its data (flushed, restarted without persistence). Simulated by deleting
// this test's own queue prefix (the shared Redis is never flushed); each waiter notices within its poll period.

const config = (runId: string, csv: string) =>
  runConfigSchema.parse({
    runId,
    dataset: {
      name: 'toy',
      splits: { rct: [csv] },
      columns: { arm: 't', revenue: 'y', cost: 'c', features: ['x'] },
      arms: [{ name: 'a' }, { name: 'b' }],
    },
  });

const step = (runId: string): JobPayloadInput<'hypergrad.step.v1'> => ({
  runId,
  method: 'bidfcl-ppl',
  step: 1,
  thetaKey: keys.hypergrad(runId, 'bidfcl-ppl', 1, 'theta'),
  phiKey: keys.hypergrad(runId, 'bidfcl-ppl', 1, 'phi'),
  obsBatchSeed: 1,
  rctBatchSeed: 2,
});

describe('a Redis that lost its data', () => {
  let rt: TestRuntime;
  let csv: string;
  beforeEach(async () => {
    rt = await createTestRuntime('run-lost');
    csv = path.join(rt.storeDir, 'rct.csv');
    await writeFile(csv, 't,y,c,x\n0,1,0,0.5\n1,2,1,0.25\n');
  });
  afterEach(async () => {
    await rt.cleanup();
  });

  test("a waiter on a job that vanished gives up with a clear error (a trainer's child is not wedged)", async () => {
    const runId = 'run-vanish';
    // No hypergradient worker: the job stays waiting until Redis loses it. (enqueueAndWait waits through waitForJob.)
    const job = await rt.ctx.queues.enqueue('hypergrad.step.v1', step(runId), jobIds.hypergrad(runId, 'bidfcl-ppl', 1));
    const events = await rt.ctx.queues.queueEvents('hypergrad');
    const settled = waitForJob(rt.ctx.queues.queue('hypergrad'), events, job).then(
      () => undefined,
      (e: unknown) => e,
    );
    await deletePrefix(rt.env.redisUrl, rt.env.prefix);
    const err = await settled;
    expect(err).toBeInstanceOf(JobVanishedError);
    expect((err as Error).message).toMatch(/no longer exists in Redis: Redis lost its data/);
    // A trainer whose own job Redis lost asks for no further step: it would keep training as an orphan.
    const orphan = rt.ctx.queues.enqueueAndWait('hypergrad.step.v1', step(runId), 'x.hypergrad.2', {
      queue: 'training',
      jobId: jobIds.train(runId, 'bidfcl-ppl'),
    });
    await expect(orphan).rejects.toThrow(
      new RegExp(`job ${runId}\\.train\\.bidfcl-ppl \\(queue 'training'\\) no longer exists`),
    );
    expect(await rt.ctx.queues.queue('hypergrad').getJob('x.hypergrad.2')).toBeUndefined();
  });

  test('run --wait gives up with a message, and submitting the run id again resumes it', async () => {
    const runId = 'run-lost';
    const cfg = config(runId, csv);
    expect(await startRun(rt.ctx, cfg)).toEqual({ runId, created: true });
    await recordStage(
      rt.ctx,
      runId,
      { stage: 'features.part.rct.0', status: 'failed', jobId: 'x', artefacts: [], error: 'S3 was down' },
      { status: 'failed' },
    );
    // A failed run with nothing left in Redis: waiting ends at once, as before.
    await deletePrefix(rt.env.redisUrl, rt.env.prefix);
    // An orphaned substep (a step an orphaned trainer asked for after the flush) does not block the resumption.
    await rt.ctx.queues.enqueue('hypergrad.step.v1', step(runId), jobIds.hypergrad(runId, 'bidfcl-ppl', 1));
    const resumed = await startRun(rt.ctx, cfg);
    expect(resumed).toEqual({ runId, created: false, resumed: true });
    const record = await readRunRecord(rt.ctx, runId);
    expect(record.status).toBe('queued');
    expect(record.stages).toEqual({});
    expect(await rt.ctx.queues.queue('hypergrad').getJob(jobIds.hypergrad(runId, 'bidfcl-ppl', 1))).toBeUndefined();
    const finalize = await rt.ctx.queues.queue('features').getJob(jobIds.featuresFinalize(runId));
    expect(finalize?.id).toBe(jobIds.featuresFinalize(runId));
    // Enqueued again and still in progress: a further submission is a no-op.
    expect(await startRun(rt.ctx, cfg)).toEqual({ runId, created: false });

    // Redis loses the run now: the waiter says so instead of waiting for ever.
    const waited = waitForRun(rt.ctx, runId).then(
      () => undefined,
      (e: unknown) => e,
    );
    await deletePrefix(rt.env.redisUrl, rt.env.prefix);
    const err = await waited;
    expect(err).toBeInstanceOf(RunLostError);
    expect((err as Error).message).toMatch(/run run-lost lost its jobs: Redis at redis:\/\/[^ ]+ holds none of them/);
    expect((err as Error).message).toMatch(/Submit the run again with the same run id/);
  });
});
