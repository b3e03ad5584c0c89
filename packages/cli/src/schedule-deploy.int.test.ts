import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keys, type PopulationSummary } from '@bidfcl/contracts';
import {
  ALLOCATION_STAGE,
  addSchedule,
  listSchedules,
  removeSchedule,
  scheduledRunId,
  waitForRun,
} from '@bidfcl/runtime';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startAllRoles } from './cluster.js';
import { tinyRunConfig, tinySimulatedDataset } from './test-support/fixtures.js';
import { runCli } from './test-support/processes.js';
import { promoteTinyModel, scoredTestUsers } from './test-support/population.js';

const USERS = 'store:datasets/tiny/v1/test/';

// Issue 9 §3 through the scheduler itself: a schedule whose config has deploy: and allocate: fires (its delayed
// firing promoted now, BullMQ's way to run a scheduled job at once), and the chain trains, promotes and allocates
// the users with the new current version, as one run whose id carries the firing's scheduled time.
describe('a nightly schedule with deploy: and allocate: fires', () => {
  let rt: TestRuntime;
  let budget: number;
  beforeAll(async () => {
    rt = await createTestRuntime('sched-deploy');
    await promoteTinyModel(rt.ctx, 'coupons');
    budget = (await scoredTestUsers(rt.ctx, 'coupons')).budget;
  }, 120_000);
  afterAll(async () => {
    await rt?.cleanup();
  });

  test('the firing trains, promotes and allocates; bidfcl status shows the run and its allocation', async () => {
    const config = tinyRunConfig('nightly', await tinySimulatedDataset(rt.ctx.store), {
      methods: ['tsm-rct'],
      deploy: { model: 'coupons', promote: 'always' },
      allocate: { users: USERS, budget, shards: 2 },
    });
    await addSchedule(rt.ctx, 'nightly-deploy', '0 2 * * *', config, 'UTC');
    const scheduled = (await listSchedules(rt.ctx)).find((s) => s.id === 'nightly-deploy')!.next!;
    expect(new Date(scheduled).getUTCHours()).toBe(2);
    const runId = scheduledRunId('nightly', new Date(scheduled));

    let started!: () => void;
    const runStarted = new Promise<void>((r) => (started = r));
    const cluster = startAllRoles(rt.ctx, 1, {
      onJobEnd: (e) => e.name === 'run.start.v1' && e.status === 'completed' && started(),
    });
    try {
      const firing = (await rt.ctx.queues.queue('runs').getDelayed()).find((j) => j.repeatJobKey === 'nightly-deploy');
      expect(firing).toBeDefined();
      await firing!.promote();
      await runStarted;
      // Promoted now, the firing still carries its scheduled 02:00: the run id is stamped with it.
      const record = await waitForRun(rt.ctx, runId);
      expect(record.status, JSON.stringify(record.error)).toBe('succeeded');
      expect(record.startedBy).toEqual({ via: 'schedule' });
      expect(record.deploy).toMatchObject({ promoted: true, version: 2 });
      expect(record.stages[ALLOCATION_STAGE]).toMatchObject({ status: 'succeeded', summary: { version: 2 } });
    } finally {
      await removeSchedule(rt.ctx, 'nightly-deploy');
      await cluster.close();
    }
    const summary = await rt.ctx.store.getJson<PopulationSummary>(keys.allocationSummary(runId));
    expect(summary).toMatchObject({ allocationId: runId, model: 'coupons', version: 2, users: 2000, budget });
    expect(await rt.ctx.store.list(keys.allocationStagingPrefix(runId))).toEqual([]);

    const status = await runCli(['status', runId], rt.env);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(runId);
    expect(status.stdout).toMatch(/allocation\s.*succeeded/);
    const all = await runCli(['status'], rt.env);
    expect(all.stdout).toContain(runId);
  }, 300_000);
});
