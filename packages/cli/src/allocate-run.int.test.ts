import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jobIds, keys, type PopulationSummary } from '@bidfcl/contracts';
import { ALLOCATION_STAGE, readRunRecord } from '@bidfcl/runtime';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startAllRoles } from './cluster.js';
import { waitForAllocation } from './commands/allocate-wait.js';
import { runToCompletion } from './local-run.js';
import { tinyRunConfig, tinySimulatedDataset } from './test-support/fixtures.js';
import { runCli } from './test-support/processes.js';
import { promoteTinyModel, scoredTestUsers } from './test-support/population.js';

const USERS = 'store:datasets/tiny/v1/test/';

// Issue 9 §3: a run (a schedule's firing starts the same flows) whose config has `deploy:` and `allocate:` promotes,
// then allocates the users with the version that is current after its deploy step, under allocations/<runId>/.
describe('a run config with allocate: allocates the population after its deploy step', () => {
  let rt: TestRuntime;
  let cluster: ReturnType<typeof startAllRoles>;
  let budget: number;
  beforeAll(async () => {
    rt = await createTestRuntime('allocate-run');
    await promoteTinyModel(rt.ctx, 'coupons');
    budget = (await scoredTestUsers(rt.ctx, 'coupons')).budget;
    cluster = startAllRoles(rt.ctx);
  }, 120_000);
  afterAll(async () => {
    await cluster?.close();
    await rt?.cleanup();
  });

  test('deploy: always, then allocate with the new version 2: the decisions of version 1', async () => {
    const config = tinyRunConfig('nightly-1', await tinySimulatedDataset(rt.ctx.store), {
      methods: ['tsm-rct'],
      deploy: { model: 'coupons', promote: 'always' },
      allocate: { users: USERS, budget, shards: 2 },
    });
    await runToCompletion(rt.ctx, config);
    const events = await rt.ctx.queues.queueEvents('allocation');
    const plan = await rt.ctx.queues.queue('allocation').getJob(jobIds.allocatePlan('nightly-1'));
    expect(await plan!.waitUntilFinished(events)).toMatchObject({
      allocationId: 'nightly-1',
      model: 'coupons',
      version: 2,
    });
    const summary = await waitForAllocation(rt.ctx, 'nightly-1', false);
    expect(summary).toMatchObject({ allocationId: 'nightly-1', version: 2, shards: 2, budget });
    const record = await readRunRecord(rt.ctx, 'nightly-1');
    expect(record.deploy).toMatchObject({ promoted: true, version: 2 });
    expect(record.stages['allocate-plan']?.status).toBe('succeeded');
    // Same data and seed: version 2 is version 1's model retrained, so its decisions are the same.
    const args = [
      '--model',
      'coupons@1',
      '--users',
      USERS,
      '--budget',
      String(budget),
      '--id',
      'v1',
      '--wait',
      '--json',
    ];
    const v1 = JSON.parse((await runCli(['allocate', ...args], rt.env)).stdout) as PopulationSummary;
    expect(summary.sha256).toBe(v1.sha256);
    expect(summary.lambda).toBe(v1.lambda);
  });

  test('run --wait ends with the allocation: summary.json exists when it returns; a refused budget fails', async () => {
    const dataset = await tinySimulatedDataset(rt.ctx.store);
    const wait = async (runId: string, b: number) => {
      const config = tinyRunConfig(runId, dataset, {
        methods: ['tsm-rct'],
        deploy: { model: 'coupons', promote: 'never' },
        allocate: { users: USERS, budget: b, shards: 2 },
      });
      const file = join(rt.storeDir, `${runId}.json`);
      await writeFile(file, JSON.stringify(config));
      return runCli(['run', '--config', file, '--wait'], rt.env);
    };
    const ok = await wait('nightly-wait', budget);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    // Read as soon as the command has exited: nothing else is waited for.
    expect(await rt.ctx.store.exists(keys.allocationSummary('nightly-wait'))).toBe(true);
    const record = await readRunRecord(rt.ctx, 'nightly-wait');
    expect(record.status).toBe('succeeded');
    expect(record.stages[ALLOCATION_STAGE]).toMatchObject({ status: 'succeeded', summary: { users: 2000 } });
    // A budget above everyone's revenue-maximising arms does not bind: the solve refuses it, and the run fails.
    const refused = await wait('nightly-refused', budget * 1e6);
    expect(refused.code, refused.stdout + refused.stderr).toBe(1);
    const failed = await readRunRecord(rt.ctx, 'nightly-refused');
    expect(failed.status).toBe('failed');
    expect(failed.error?.stage).toBe(ALLOCATION_STAGE);
    expect(await rt.ctx.store.exists(keys.allocationSummary('nightly-refused'))).toBe(false);
  });

  test('allocate without deploy, or with both budgets, is not a valid run config', async () => {
    const dataset = await tinySimulatedDataset(rt.ctx.store);
    expect(() => tinyRunConfig('x', dataset, { allocate: { users: USERS, budget: 1 } })).toThrow(
      /allocate needs a deploy/,
    );
    const both = { users: USERS, budget: 1, budgetPerUser: 1 };
    expect(() => tinyRunConfig('x', dataset, { deploy: { model: 'm' }, allocate: both })).toThrow(/exactly one of/);
  });
});
