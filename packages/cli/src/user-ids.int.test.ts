import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keys, type DatasetSpecInput } from '@bidfcl/contracts';
import { readParquet, type RawTable } from '@bidfcl/io';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startAllRoles } from './cluster.js';
import { runToCompletion } from './local-run.js';
import { tinyRunConfig, tinySimulatedDataset } from './test-support/fixtures.js';

const M = 8; // marketing-8's arms

function column(t: RawTable, name: string, what: string) {
  const c = t.columns.get(name);
  if (!c) throw new Error(`${what} has no column '${name}'; it has ${[...t.columns.keys()].join(', ')}`);
  return c;
}
const strings = (t: RawTable, name: string, what: string) => {
  const c = column(t, name, what);
  if (c.kind !== 'string') throw new Error(`${what}: '${name}' is not a text column`);
  return c.values;
};
const numbers = (t: RawTable, name: string, what: string) => {
  const c = column(t, name, what);
  if (c.kind !== 'number') throw new Error(`${what}: '${name}' is not a numeric column`);
  return c.values;
};

/**
 * The scores and allocation parts name their users: the oracle's scores are the simulator's truth, so each scored
 * row's r_j, c_j must equal the input row that has the same user id — ids in the wrong order or from other rows
 * would not match. Without a user id column, rows are named by their position in the test split.
 */
describe("a run's scores and allocation parts carry user ids and arm names", () => {
  let rt: TestRuntime;
  let cluster: ReturnType<typeof startAllRoles>;
  let dataset: DatasetSpecInput;
  let input: RawTable;
  beforeAll(async () => {
    rt = await createTestRuntime('userids');
    cluster = startAllRoles(rt.ctx);
    dataset = await tinySimulatedDataset(rt.ctx.store, 'ids');
    const testUris = dataset.splits.test ?? [];
    expect(testUris).toHaveLength(1);
    input = readParquet(await rt.ctx.store.get(testUris[0]!.replace(/^store:/, '')), 'input test split');
  });
  afterAll(async () => {
    await cluster?.close();
    await rt?.cleanup();
  });

  /** Checks the oracle's scores row by row against the input row `rowOf(user id)`; returns the ids. */
  async function checkScores(runId: string, rowOf: (id: string, i: number) => number): Promise<string[]> {
    const key = keys.scores(runId, 'oracle', 'test', 0);
    const scores = readParquet(await rt.ctx.store.get(key), key);
    const ids = strings(scores, 'user_id', key);
    expect(ids).toHaveLength(input.numRows);
    for (let j = 0; j < M; j++) {
      const [r, c] = [numbers(scores, `r_${j}`, key), numbers(scores, `c_${j}`, key)];
      const [tr, tc] = [numbers(input, `true_revenue_${j}`, 'input'), numbers(input, `true_cost_${j}`, 'input')];
      ids.forEach((id, i) => {
        const row = rowOf(id, i);
        expect(row, `user ${id}`).toBeGreaterThanOrEqual(0);
        if (r[i] !== tr[row] || c[i] !== tc[row]) throw new Error(`${key} row ${i} (${id}) is not input row ${row}`);
      });
    }
    return ids;
  }

  /** Every allocation part names the same users as the scores, and each arm index beside its name. */
  async function checkAllocation(runId: string, ids: string[]) {
    for (const method of ['oracle', 'random']) {
      const key = keys.allocationPart(runId, method, 0);
      const part = readParquet(await rt.ctx.store.get(key), key);
      expect(strings(part, 'user_id', key)).toEqual(ids);
      for (const b of [0, 1]) {
        const index = numbers(part, `arm_b${b}`, key);
        const names = strings(part, `arm_name_b${b}`, key);
        expect(names).toEqual(Array.from(index, (j) => `arm${j}`));
        expect(new Set(names).size, `${method} budget ${b} uses several arms`).toBeGreaterThan(1);
      }
    }
  }

  test("with the dataset's user id column: the input's ids, each on its own row", async () => {
    const inputIds = strings(input, 'user_id', 'input');
    const rowOf = new Map(inputIds.map((id, i) => [id, i]));
    await runToCompletion(rt.ctx, tinyRunConfig('ids-given', dataset, { methods: ['oracle', 'random'] }));
    const ids = await checkScores('ids-given', (id) => rowOf.get(id) ?? -1);
    expect([...ids].sort()).toEqual([...inputIds].sort());
    await checkAllocation('ids-given', ids);
  });

  test('without one: test-<row>, the position in the test split', async () => {
    const { userId: _drop, ...columns } = dataset.columns;
    const noIds = { ...dataset, columns };
    await runToCompletion(rt.ctx, tinyRunConfig('ids-positions', noIds, { methods: ['oracle', 'random'] }));
    const ids = await checkScores('ids-positions', (id) => Number(/^test-(\d+)$/.exec(id)?.[1] ?? -1));
    expect(ids).toEqual(Array.from({ length: input.numRows }, (_, i) => `test-${i}`));
    await checkAllocation('ids-positions', ids);
  });
});
