import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addSchedule, listRuns, listSchedules, removeSchedule, scheduledRunId } from '@bidfcl/runtime';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startRole } from './cluster.js';
import { tinyRunConfig, tinySimulatedDataset } from './test-support/fixtures.js';

describe('nightly retraining with a BullMQ job scheduler', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime('sched');
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  test('scheduledRunId stamps the firing time in UTC', () => {
    expect(scheduledRunId('nightly', new Date(Date.UTC(2026, 10, 27, 2, 5)))).toBe('nightly-202611270205');
  });

  test('add, list, fire (a run is started by the feature builder), remove', async () => {
    const dataset = await tinySimulatedDataset(rt.ctx.store);
    const config = tinyRunConfig('nightly', dataset, { methods: ['random'] });
    // Every second, so that the test sees a firing; a real schedule is e.g. '0 2 * * *'.
    await addSchedule(rt.ctx, 'nightly-job', '* * * * * *', config);
    const listed = await listSchedules(rt.ctx);
    expect(listed).toEqual([
      expect.objectContaining({ id: 'nightly-job', pattern: '* * * * * *', runIdPrefix: 'nightly' }),
    ]);

    let fired!: (runId: string) => void;
    const firstRun = new Promise<string>((r) => (fired = r));
    const workers = startRole(rt.ctx, 'feature-builder', 1, {
      onJobEnd: (e) => {
        if (e.name === 'run.start.v1' && e.status === 'completed') fired(e.jobId);
      },
    });
    try {
      await firstRun;
      expect(await removeSchedule(rt.ctx, 'nightly-job')).toBe(true);
      expect(await listSchedules(rt.ctx)).toEqual([]);
      expect(await removeSchedule(rt.ctx, 'nightly-job')).toBe(false);
    } finally {
      await workers.close();
    }
    const runs = await listRuns(rt.ctx);
    expect(runs.length).toBeGreaterThanOrEqual(1);
    for (const r of runs) expect(r.runId).toMatch(/^nightly-\d{12}$/);
    // What a deploy step of such a run records as the promoter.
    for (const r of runs) expect(r.startedBy).toEqual({ via: 'schedule' });
  });
});
