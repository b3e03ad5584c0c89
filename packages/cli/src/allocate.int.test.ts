import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keys, type PopulationSummary } from '@bidfcl/contracts';
import { allocateBudget, tieKeysOf } from '@bidfcl/core';
import { readArrowTable, readParquet, type RawTable } from '@bidfcl/io';
import { startS3rver } from '@bidfcl/io/testing';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startRole } from './cluster.js';
import { runCli } from './test-support/processes.js';
import { promoteTinyModel, scoredTestUsers } from './test-support/population.js';

const USERS = 'store:datasets/tiny/v1/test/';

const col = (t: RawTable, name: string) => t.columns.get(name)!.values as Float64Array | string[];

/** Every decision of an allocation by user id, read from its published parts. */
async function decisionsOf(rt: TestRuntime, s: PopulationSummary) {
  const arm = new Map<string, number>();
  let rows = 0;
  let cost = 0;
  for (const key of s.decisions) {
    const t = readParquet(await rt.ctx.store.get(key));
    const ids = col(t, 'user_id') as string[];
    const a = col(t, 'arm_index') as Float64Array;
    const c = col(t, 'predicted_cost') as Float64Array;
    ids.forEach((id, i) => {
      arm.set(id, a[i]!);
      cost += c[i]!;
    });
    rows += t.numRows;
  }
  return { arm, rows, cost };
}

// A tiny trained model promoted to the registry on a real S3 server (s3rver) and a real Redis; the users are the
// simulated test split (with columns the model does not read). The budget is chosen between the cost of
// everyone's cheapest arm and that of their revenue-maximising arms, from the same scores the jobs compute.
describe('bidfcl allocate: a registry version decides for a whole population', () => {
  let s3: Awaited<ReturnType<typeof startS3rver>>;
  let rt: TestRuntime;
  let workers: ReturnType<typeof startRole>;
  let budget: number;
  let reference: { lambda: number; arm: Map<string, number>; users: string[] };
  const summaries: Record<number, PopulationSummary> = {};
  const cli = (...args: string[]) => runCli(['allocate', ...args], rt.env);

  beforeAll(async () => {
    s3 = await startS3rver({ bucket: 'alloc' });
    rt = await createTestRuntime('allocate', {
      storeUrl: `s3://${s3.bucket}/bidfcl`,
      s3: { region: 'us-east-1', endpoint: s3.endpoint, ...s3.credentials },
    });
    await promoteTinyModel(rt.ctx, 'coupons');
    workers = startRole(rt.ctx, 'allocator', 2);
    // The reference: the same version's scores of every user in one process, core's single-process allocation.
    const { scores, userIds, budget: b } = await scoredTestUsers(rt.ctx, 'coupons');
    budget = b;
    const core = allocateBudget(scores, budget / scores.n, { tieKeys: tieKeysOf(userIds) });
    reference = {
      lambda: core.lambda,
      arm: new Map(userIds.map((id, i) => [id, core.assignment[i]!])),
      users: userIds,
    };
  }, 120_000);
  afterAll(async () => {
    await workers?.close();
    await rt?.cleanup();
    await s3?.stop();
  });

  for (const shards of [1, 2, 8]) {
    test(`${shards} shard(s): within budget by less than one upgrade, every user once, arms as core's`, async () => {
      const id = `pop-${shards}`;
      const r = await cli(
        '--model',
        'coupons',
        '--users',
        USERS,
        '--budget',
        String(budget),
        '--shards',
        String(shards),
        '--id',
        id,
        '--wait',
        '--json',
      );
      expect(r.stderr).not.toMatch(/bidfcl allocate/);
      expect(r.code).toBe(0);
      const s = JSON.parse(r.stdout) as PopulationSummary;
      summaries[shards] = s;
      expect(s).toMatchObject({
        allocationId: id,
        model: 'coupons',
        version: 1,
        shards,
        users: reference.users.length,
      });
      expect(s.decisions).toHaveLength(shards);
      expect(s.predictedSpend).toBeLessThanOrEqual(budget);
      expect(budget - s.predictedSpend).toBeLessThan(s.maxUpgradeCost!);
      // Published, so the staged scores, summaries, threshold and decisions are gone.
      expect(await rt.ctx.store.list(keys.allocationStagingPrefix(id))).toEqual([]);
      const d = await decisionsOf(rt, s);
      expect(d.rows).toBe(reference.users.length);
      expect(d.arm.size).toBe(reference.users.length);
      expect(d.cost).toBeCloseTo(s.predictedSpend, 6);
      expect(s.lambda).toBe(reference.lambda);
      expect(s.lambda).toBeGreaterThan(0); // the budget binds
      expect(s.armMix.filter((a) => a.users > 0).length).toBeGreaterThan(1);
      expect(d.arm).toEqual(reference.arm);
      expect(s.sha256).toBe((summaries[1] ?? s).sha256);
      expect(s.armMix.reduce((a, x) => a + x.users, 0)).toBe(reference.users.length);
      const meta = readArrowTable(await rt.ctx.store.get(s.decisions[0]!)).schema.metadata;
      expect(meta.get('bidfcl.model')).toBe('coupons@1');
      expect(Number(meta.get('bidfcl.lambda'))).toBe(s.lambda);
      expect(meta.get('bidfcl.allocation')).toBe(id);
      const shown = await runCli(['allocations', 'show', id], rt.env);
      expect(JSON.parse(shown.stdout)).toEqual(s);
    }, 60_000);
  }

  test('enqueueing an allocation id again is a no-op: the same summary, the first request kept', async () => {
    const r = await cli('--model', 'coupons', '--users', USERS, '--budget', '1', '--id', 'pop-2', '--wait', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(summaries[2]);
    const again = await cli('--model', 'coupons', '--users', USERS, '--budget', '1', '--id', 'pop-2');
    expect(again.stdout).toMatch(
      /allocation pop-2: \d+ users in 2 shard\(s\), model coupons@1, budget [\d.]+ \(requested before/,
    );
  });

  test('allocations list shows each finished allocation with its model, users and λ*', async () => {
    const r = await runCli(['allocations', 'list'], rt.env);
    expect(r.code).toBe(0);
    for (const s of Object.values(summaries))
      expect(r.stdout).toContain(`${s.allocationId}  coupons@1  ${s.users} users  budget ${s.budget}`);
    expect(Object.keys(summaries)).toHaveLength(3);
  });
});
