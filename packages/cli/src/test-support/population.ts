import { keys, type FeatureTable } from '@bidfcl/contracts';
import { coarseRound, scanShard } from '@bidfcl/core';
import {
  cliOrigin,
  promoteModel,
  readVersion,
  sourceAccess,
  type RoleWorkerOptions,
  type RuntimeContext,
} from '@bidfcl/runtime';
import { readShardUsers, readUsersTable } from '@bidfcl/io';
import { predictWithModel } from '@bidfcl/worker-allocator';
import { startAllRoles } from '../cluster.js';
import { runToCompletion } from '../local-run.js';
import { tinyRunConfig, tinySimulatedDataset } from './fixtures.js';

/**
 * Trains tsm-rct on the tiny simulated dataset (written to datasets/tiny/v1/ in the store) and promotes it as
 * version 1 of `model`: what a population allocation needs. Features x0 … x7, user ids in user_id.
 * `workerOptions` go to the training cluster's workers (a short lock: see allocate-kill.int.test.ts).
 */
export async function promoteTinyModel(
  ctx: RuntimeContext,
  model: string,
  workerOptions: Partial<RoleWorkerOptions> = {},
  runId = 'pop-run',
): Promise<void> {
  const cluster = startAllRoles(ctx, 1, workerOptions);
  try {
    const config = tinyRunConfig(runId, await tinySimulatedDataset(ctx.store), { methods: ['tsm-rct'] });
    await runToCompletion(ctx, config);
  } finally {
    await cluster.close();
  }
  await promoteModel(ctx, { model, runId, method: 'tsm-rct', by: cliOrigin() });
}

/** A users CSV: header `user_id,x0,…,x7` plus `extra` columns, and `rows` rows of deterministic features. */
export function usersCsv(rows: number, edit: (cells: string[], i: number) => string[] = (c) => c): string {
  const header = ['user_id', ...Array.from({ length: 8 }, (_, k) => `x${k}`), 'note'];
  const lines = [header.join(',')];
  for (let i = 0; i < rows; i++) {
    const x = Array.from({ length: 8 }, (_, k) => (((i * 7 + k * 13) % 17) / 8 - 1).toFixed(3));
    lines.push(edit([`u${i}`, ...x, 'n/a'], i).join(','));
  }
  return lines.join('\n') + '\n';
}

/**
 * Every user of the tiny test split scored in one process by version 1 of `model`, as the scan jobs score them,
 * and a budget that binds: 40 % of the way from everyone's cheapest arm to everyone's revenue-maximising one.
 */
export async function scoredTestUsers(ctx: RuntimeContext, model: string) {
  const version = await readVersion(ctx.store, model, 1);
  const source = `store:${keys.datasetPart('tiny', 'v1', 'test', 0)}`;
  const n = (await readUsersTable(source, ctx.store, sourceAccess(ctx.env))).table.numRows;
  const users = await readShardUsers(
    [{ source, start: 0, end: n }],
    'user_id',
    version.encoding,
    ctx.store,
    sourceAccess(ctx.env),
  );
  const m = version.encoding.arms.length;
  const zeros = { arm: new Int32Array(n), revenue: new Float64Array(n), cost: new Float64Array(n) };
  const table: FeatureTable = { n, d: users.d, m, x: users.x, ...zeros };
  const scores = await predictWithModel(ctx.store, version.weights, version.encoding, table, ctx.env.tfBackend);
  const { summary } = scanShard(scores);
  const top = coarseRound(summary, Infinity);
  if (top.kind !== 'done') throw new Error('an infinite budget always fits');
  const base = top.threshold.baseCost;
  return { scores, userIds: users.userIds, budget: base + 0.4 * (top.threshold.topCost - base) };
}
