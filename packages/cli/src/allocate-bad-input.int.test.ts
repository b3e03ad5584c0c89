import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keys, type PopulationRequest } from '@bidfcl/contracts';
import { scanFlow } from '@bidfcl/runtime';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startRole } from './cluster.js';
import { waitForAllocation } from './commands/allocate-wait.js';
import { runCli } from './test-support/processes.js';
import { promoteTinyModel, usersCsv } from './test-support/population.js';

// Issue 9 §5: each bad input stops with a message naming the file, column or row and the README's exit status
// (2: found before enqueueing; 1: unknown model or version, or a flow that failed), and nothing is written under
// allocations/<id>/.
describe('bidfcl allocate refuses bad input', () => {
  let rt: TestRuntime;
  let workers: ReturnType<typeof startRole>;
  let n = 0;
  const allocate = async (csv: string | undefined, ...args: string[]) => {
    const id = `bad-${++n}`;
    const file = path.join(rt.storeDir, `users-${n}.csv`);
    if (csv !== undefined) await writeFile(file, csv);
    const r = await runCli(['allocate', '--users', file, '--id', id, '--wait', ...args], rt.env);
    expect(await rt.ctx.store.list(keys.allocationPrefix(id))).toEqual([]);
    return { ...r, file };
  };
  const coupons = ['--model', 'coupons', '--budget-per-user', '1'];

  beforeAll(async () => {
    rt = await createTestRuntime('allocate-bad');
    await promoteTinyModel(rt.ctx, 'coupons');
    workers = startRole(rt.ctx, 'allocator');
  }, 120_000);
  afterAll(async () => {
    await workers?.close();
    await rt?.cleanup();
  });

  test('missing feature columns: named with the file (exit 2)', async () => {
    const csv = usersCsv(5).replace(/,x3,x4/, ',y3,y4');
    const r = await allocate(csv, ...coupons);
    expect(r.stderr).toContain(`bidfcl allocate: ${r.file} lacks feature column(s) x3, x4 (model coupons@1)`);
    expect(r.code).toBe(2);
  });

  test('no user id column: named, with the columns there are (exit 2)', async () => {
    const r = await allocate(usersCsv(3).replace('user_id,', 'uid,'), ...coupons);
    expect(r.stderr).toContain(`${r.file} has no user id column 'user_id' (columns: uid, x0`);
    expect(r.code).toBe(2);
  });

  test('duplicate user ids: both rows named (exit 2)', async () => {
    const r = await allocate(
      usersCsv(6, (c, i) => (i === 4 ? ['u1', ...c.slice(1)] : c)),
      ...coupons,
    );
    expect(r.stderr).toContain(`duplicate user id 'u1' at ${r.file} row 5 (first at ${r.file} row 2)`);
    expect(r.code).toBe(2);
  });

  test('an empty table (exit 2)', async () => {
    const r = await allocate(usersCsv(0), ...coupons);
    expect(r.stderr).toMatch(/the users table is empty/);
    expect(r.code).toBe(2);
  });

  test('a non-numeric feature: column and row named (exit 2)', async () => {
    const r = await allocate(
      usersCsv(4, (c, i) => (i === 2 ? [c[0]!, 'abc', ...c.slice(2)] : c)),
      ...coupons,
    );
    expect(r.stderr).toContain(`${r.file}: feature column 'x0' is not numeric at row 3 ('abc')`);
    expect(r.code).toBe(2);
  });

  test('an unknown model or version (exit 1); a malformed one (exit 2)', async () => {
    const csv = usersCsv(3);
    const model = await allocate(csv, '--model', 'nope', '--budget', '5');
    expect(model.stderr).toMatch(/model 'nope' not found in .* \(models: coupons\)/);
    expect(model.code).toBe(1);
    const version = await allocate(csv, '--model', 'coupons@7', '--budget', '5');
    expect(version.stderr).toMatch(/model 'coupons' has no version 7 \(versions: 1\)/);
    expect(version.code).toBe(1);
    const bad = await allocate(csv, '--model', 'coupons@x', '--budget', '5');
    expect(bad.code).toBe(2);
  });

  test('bad options: both budgets, none, a bad id (exit 2)', async () => {
    const csv = usersCsv(3);
    expect((await allocate(csv, '--model', 'coupons', '--budget', '1', '--budget-per-user', '1')).code).toBe(2);
    expect((await allocate(csv, '--model', 'coupons')).code).toBe(2);
    expect((await allocate(csv, '--model', 'coupons', '--budget', '-3')).code).toBe(2);
    const r = await runCli(
      ['allocate', '--model', 'coupons', '--users', 'x.csv', '--budget', '1', '--id', 'A/b'],
      rt.env,
    );
    expect(r.stderr).toMatch(/invalid allocation id 'A\/b'/);
    expect(r.code).toBe(2);
  });

  test('a budget that does not bind: the flow stops with the cost it needs (exit 1), nothing published', async () => {
    const r = await allocate(usersCsv(50), '--model', 'coupons', '--budget', '1e12');
    expect(r.stderr).toMatch(
      /allocation bad-\d+ failed: budget 1\.0000000e\+12 is at or above [\d.e+-]+, the predicted cost of giving every user their revenue-maximising arm: it does not bind \(λ\* = 0\)/,
    );
    expect(r.code).toBe(1);
    const shown = await runCli(['allocations', 'show', `bad-${n}`], rt.env);
    expect(shown.stderr).toMatch(/has no .*summary\.json: unknown, running or failed/);
    expect(shown.code).toBe(1);
  });

  test('a table that changed after the check: the scan job fails the flow, staging deleted', async () => {
    const id = 'changed';
    const file = path.join(rt.storeDir, 'changed.csv');
    await writeFile(file, usersCsv(4).replace(',x7,', ',y7,'));
    const request: PopulationRequest = {
      allocationId: id,
      model: 'coupons',
      version: 1,
      userIdColumn: 'user_id',
      users: 4,
      budget: 1,
      shards: [[{ source: file, start: 0, end: 4 }]],
      sources: [file],
      requestedAt: new Date().toISOString(),
    };
    await rt.ctx.store.putJson(keys.allocationRequest(id), request);
    await rt.ctx.queues.addFlow(scanFlow(request));
    await expect(waitForAllocation(rt.ctx, id, false, request)).rejects.toThrow(
      `allocation changed failed: ${file} lacks feature column(s) x7`,
    );
    expect(await rt.ctx.store.list(keys.allocationPrefix(id))).toEqual([]);
    // A permanent failure deletes the staging prefix too; closing the workers waits for their failure handlers.
    await workers.close();
    workers = startRole(rt.ctx, 'allocator');
    expect(await rt.ctx.store.list(keys.allocationStagingPrefix(id))).toEqual([]);
  });

  test('a users file that does not exist (exit 2)', async () => {
    const r = await allocate(undefined, ...coupons);
    expect(r.stderr).toMatch(/users-\d+\.csv/);
    expect(r.code).toBe(2);
  });
});
