// CPU per shard of the allocate flow's solve and assign steps (reading the staged shard included), as they were
// (scores in Parquet with the user ids, parsed twice; a full scanShard again in each; every user's tie key hashed)
// and as they are now (raw doubles with the tie keys, staged hulls; assign alone reads the ids), on the same shard,
// interleaved so that both see the same load. The decisions' Parquet write is not included (unchanged).
// Numbers, not a test. Usage: node packages/cli/bench/allocate-steps.mjs [--users 500000] [--arms 8] [--rounds 3]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { keys } from '@bidfcl/contracts';
import * as core from '@bidfcl/core';
import * as io from '@bidfcl/io';
import { syntheticShard } from '../dist/bench-allocate-measure.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '500000' },
    arms: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
  },
});
const n = Number(values.users);
const m = Number(values.arms);
const dir = await mkdtemp(join(tmpdir(), 'allocate-steps-'));
const store = new io.LocalStore(dir);
const cpu = async (fn) => {
  const c0 = process.cpuUsage();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { ms: (c.user + c.system) / 1000, value };
};
try {
  const { scores } = syntheticShard({ users: n, arms: m, budgetPerUser: 0.6, seed: 0 }, 0, n);
  const userIds = Array.from({ length: n }, (_, i) => `user-${i}`);
  const scan = core.scanShard(scores);
  const arms = Array.from({ length: m }, (_, j) => `a${j}`);
  await store.put(keys.allocationShardScores('s', 0), io.encodeScoreMatrix(scores, { userId: userIds, arms }));
  await store.put(keys.allocationShardHulls('s', 0), core.encodeShardHulls(scan.hulls));
  // Now: raw doubles (scores and tie keys) plus the ids apart, which only assign reads.
  await store.put(keys.allocationShardScores('now', 0), io.encodeShardScores(scores, core.tieKeysOf(userIds)));
  await store.put(keys.allocationShardHulls('now', 0), core.encodeShardHulls(scan.hulls));
  await store.put(keys.allocationShardUserIds('now', 0), io.encodeShardUserIds(userIds));
  const coarse = core.coarseRound(scan.summary, 0.6 * n);
  const threshold = core.fineRound(coarse, [
    core.listBinBreakpoints(scores, scan, core.tieKeysOf(userIds), coarse.bin),
  ]);
  const bytesOf = () => store.get(keys.allocationShardScores('s', 0));
  const before = {
    // readShardScores parsed the file for the ids and again for the scores; solve and assign each re-scanned.
    solve: async () => {
      const bytes = await bytesOf();
      const ids = io.readParquet(bytes, 'x').columns.get('user_id').values;
      const s = io.decodeScoreMatrix(bytes, m, 'x');
      return core.listBinBreakpoints(s, core.scanShard(s), core.tieKeysOf(ids), coarse.bin).lambda.length;
    },
    assign: async () => {
      const bytes = await bytesOf();
      const ids = io.readParquet(bytes, 'x').columns.get('user_id').values;
      const s = io.decodeScoreMatrix(bytes, m, 'x');
      return core.assignShard(s, core.scanShard(s).hulls, core.tieKeysOf(ids), threshold).length;
    },
  };
  const after = {
    solve: async () => {
      const { scores: s, tieKeys, hulls } = await io.readShardScores(store, 'now', 0, m);
      return core.listBinBreakpoints(s, { hulls, summary: scan.summary }, tieKeys, coarse.bin).lambda.length;
    },
    assign: async () => {
      const { scores: s, tieKeys, hulls } = await io.readShardScores(store, 'now', 0, m);
      const ids = await io.readShardUserIds(store, 'now', 0);
      return core.assignShard(s, hulls, tieKeys, threshold).length + ids.length;
    },
  };
  const best = { before: { solve: Infinity, assign: Infinity }, after: { solve: Infinity, assign: Infinity } };
  for (let round = 0; round < Number(values.rounds); round++)
    for (const [name, steps] of Object.entries({ before, after }))
      for (const step of ['solve', 'assign'])
        best[name][step] = Math.min(best[name][step], (await cpu(steps[step])).ms);
  const scanMs = (await cpu(() => core.scanShard(scores))).ms;
  console.log(
    `one shard of ${n} users × ${m} arms; CPU ms, best of ${values.rounds} (scanShard alone: ${scanMs.toFixed(0)})`,
  );
  for (const step of ['solve', 'assign'])
    console.log(
      `${step}: before ${best.before[step].toFixed(0)}, after ${best.after[step].toFixed(0)} ` +
        `(${(best.before[step] / best.after[step]).toFixed(2)}×)`,
    );
} finally {
  await rm(dir, { recursive: true, force: true });
}
