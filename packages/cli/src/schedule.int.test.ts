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

  /**
   * A firing's job is created ahead of its time (BullMQ adds it delayed when the previous firing runs) and
   * promoted to waiting when its time comes. Promoting it by hand runs it now, long before its scheduled time,
   * so the creation minute, the processing minute and the scheduled minute all differ: the run id must carry
   * the scheduled one. Two schedulers: a cron pattern (BullMQ records the time in the job's options) and
   * `every` with a start date (the time is computed inside Redis and appears only in the job's id).
   */
  test('a firing is stamped with its scheduled time, not the time its job was created', async () => {
    const dataset = await tinySimulatedDataset(rt.ctx.store, 'stamped');
    const q = rt.ctx.queues.queue('runs');
    const HOUR = 3_600_000;
    const startDate = Math.ceil((Date.now() + 5 * HOUR) / 60_000) * 60_000 + 17_000; // hours away, mid-minute
    await addSchedule(rt.ctx, 'cron-job', '0 2 * * *', tinyRunConfig('cron', dataset, { methods: ['random'] }));
    await q.upsertJobScheduler(
      'every-job',
      { every: 24 * HOUR, startDate },
      {
        name: 'run.start.v1',
        data: { config: tinyRunConfig('every', dataset, { methods: ['random'] }), runIdSuffix: 'timestamp' },
      },
    );
    const next = new Map((await listSchedules(rt.ctx)).map((s) => [s.id, s.next]));
    expect(next.get('every-job')).toBe(startDate);

    const done = new Map<string, () => void>();
    const ended = (jobId: string) => new Promise<void>((resolve) => done.set(jobId, resolve));
    const workers = startRole(rt.ctx, 'feature-builder', 1, {
      onJobEnd: (e) => {
        if (e.name === 'run.start.v1' && e.status === 'completed') done.get(e.jobId)?.();
      },
    });
    const expected: string[] = [];
    try {
      const delayed = (await q.getDelayed()).filter((j) => j.repeatJobKey);
      expect(delayed.map((j) => j.repeatJobKey).sort()).toEqual(['cron-job', 'every-job']);
      for (const job of delayed) {
        const base = job.repeatJobKey === 'cron-job' ? 'cron' : 'every';
        const scheduled = next.get(job.repeatJobKey!)!;
        // The creation minute differs from the scheduled one (hours apart), so a stamp from it would fail.
        expect(scheduledRunId(base, new Date(job.timestamp))).not.toBe(scheduledRunId(base, new Date(scheduled)));
        expected.push(scheduledRunId(base, new Date(scheduled)));
        const end = ended(job.id!);
        await job.promote();
        await end;
      }
    } finally {
      await removeSchedule(rt.ctx, 'cron-job');
      await removeSchedule(rt.ctx, 'every-job');
      await workers.close();
    }
    const runs = (await listRuns(rt.ctx)).map((r) => r.runId).filter((id) => /^(cron|every)-/.test(id));
    expect(runs.sort()).toEqual(expected.sort());
  });
});
