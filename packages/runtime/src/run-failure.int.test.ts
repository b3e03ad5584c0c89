import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { keys, runConfigSchema } from '@bidfcl/contracts';
import { createTestRuntime, type TestRuntime } from './testing/index.js';
import { createRunRecord, recordStage } from './run-store.js';
import { waitForRun } from './wait.js';

const config = (runId: string) =>
  runConfigSchema.parse({
    runId,
    dataset: {
      name: 'toy',
      splits: { rct: ['/nowhere/rct.csv'] },
      columns: { arm: 't', revenue: 'y', cost: 'c', features: ['x'] },
      arms: [{ name: 'a' }, { name: 'b' }],
    },
  });

/** A stage failed as BullMQ fails a flow parent whose child failed. */
const failedByChild = (runId: string, stage: string, child: string, at: string) => ({
  stage,
  status: 'failed' as const,
  jobId: `${runId}.${stage}`,
  finishedAt: at,
  artefacts: [],
  error: `child bidfcl-test-x:training:${runId}.${child} failed`,
});

/** A stage that failed of its own accord, with its own reason. */
const failedOnItsOwn = (runId: string, stage: string, at: string, error: string) => ({
  stage,
  status: 'failed' as const,
  jobId: `${runId}.${stage}`,
  finishedAt: at,
  artefacts: [],
  error,
});

describe('run.json names the stage that broke, not the parents failed by it', () => {
  let rt: TestRuntime;
  beforeEach(async () => {
    rt = await createTestRuntime('run-failure');
  });
  afterEach(async () => {
    await rt.cleanup();
  });

  test('a parent recorded before its child (another worker, an earlier clock) is not blamed', async () => {
    const runId = 'run-blame';
    await createRunRecord(rt.ctx, config(runId));
    const early = await recordStage(
      rt.ctx,
      runId,
      failedByChild(runId, 'allocate.bidfcl-ppl', 'train.bidfcl-ppl', '2026-01-01T00:00:00.000Z'),
    );
    // The child's own record is not there yet: the run already names it.
    expect(early?.error?.stage).toBe('train.bidfcl-ppl');
    const record = await recordStage(
      rt.ctx,
      runId,
      failedOnItsOwn(runId, 'train.bidfcl-ppl', '2026-01-01T00:00:01.000Z', "artefact 'x/grad.bin' not found"),
    );
    expect(record?.status).toBe('failed');
    expect(record?.error).toEqual({ stage: 'train.bidfcl-ppl', message: "artefact 'x/grad.bin' not found" });
  });

  test('a finished job run again (at-least-once delivery) does not reopen a succeeded run', async () => {
    const runId = 'run-duplicate';
    await createRunRecord(rt.ctx, config(runId));
    const evaluate = (status: 'running' | 'succeeded') => ({
      stage: 'evaluate',
      status,
      jobId: `${runId}.evaluate`,
      startedAt: '2026-01-01T00:00:00.000Z',
      ...(status === 'succeeded' ? { finishedAt: '2026-01-01T00:00:01.000Z', summary: { eom: 1.25 } } : {}),
      artefacts: [],
    });
    expect((await recordStage(rt.ctx, runId, evaluate('succeeded')))?.status).toBe('succeeded');
    // The evaluate job starts again (its lock was lost under a long step, the stalled check re-queued it).
    const again = await recordStage(rt.ctx, runId, evaluate('running'));
    expect(again).toMatchObject({ status: 'succeeded', metrics: { eom: 1.25 } });
  });

  test('a chain evaluate ← allocate ← train is followed to train', async () => {
    const runId = 'run-chain';
    await createRunRecord(rt.ctx, config(runId));
    await recordStage(rt.ctx, runId, failedByChild(runId, 'evaluate', 'allocate.tsm-rct', '2026-01-01T00:00:00.000Z'));
    const record = await recordStage(
      rt.ctx,
      runId,
      failedByChild(runId, 'allocate.tsm-rct', 'train.tsm-rct', '2026-01-01T00:00:00.500Z'),
    );
    expect(record?.error?.stage).toBe('train.tsm-rct');
  });

  test("waitForRun returns the failing child's own reason when its record lands after the run failed", async () => {
    const runId = 'run-wait-root';
    await createRunRecord(rt.ctx, config(runId));
    // The parent's failure alone already fails the run, naming the child that broke with a placeholder reason.
    const early = await recordStage(
      rt.ctx,
      runId,
      failedByChild(runId, 'allocate.tsm-rct', 'train.tsm-rct', '2026-01-01T00:00:00.000Z'),
    );
    expect(early?.status).toBe('failed');
    expect(early?.error?.message).not.toMatch(/NaN/);
    // The child's worker has stored its record but not yet rebuilt run.json (nor published its event).
    await rt.ctx.store.putJson(
      keys.stageRecord(runId, 'train.tsm-rct'),
      failedOnItsOwn(runId, 'train.tsm-rct', '2026-01-01T00:00:01.000Z', 'revenue column has NaN at row 7'),
    );
    const record = await waitForRun(rt.ctx, runId);
    expect(record.error).toEqual({ stage: 'train.tsm-rct', message: 'revenue column has NaN at row 7' });
  });
});
