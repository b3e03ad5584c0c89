// End-to-end throughput of `bidfcl allocate` (issue 9 §4): read + score + solve + write, in users/s; not a test.
// Usage: node packages/cli/bench/allocate-throughput.mjs [--users 1000000] [--workers 2] [--rows-per-file 500000]
//          [--shards n]
// Needs a built tree (npm run build) and a Redis. On a fresh queue prefix and a temporary local store it trains
// tsm-rct on a tiny simulated dataset with 20 features and promotes it, writes a users Parquet table (N rows ×
// 20 float32 features, in files of --rows-per-file rows, so the writer's memory stays bounded), starts
// `bidfcl worker allocator` processes and times one `bidfcl allocate --wait` process from start to exit.
// The budget binds: 40 % of the way from everyone's cheapest arm to their revenue-maximising one, on a sample.
import { spawn } from 'node:child_process';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { keys } from '@bidfcl/contracts';
import { coarseRound, scanShard } from '@bidfcl/core';
import { readShardUsers, writeParquet } from '@bidfcl/io';
import { cliOrigin, promoteModel, readVersion, runtimeEnvToVars, sourceAccess } from '@bidfcl/runtime';
import { createTestRuntime } from '@bidfcl/runtime/testing';
import { predictWithModel } from '@bidfcl/worker-allocator';
import { startAllRoles } from '../dist/cluster.js';
import { runToCompletion } from '../dist/local-run.js';
import { tinyRunConfig, tinySimulatedDataset } from '../dist/test-support/fixtures.js';
import { BIN, startWorkerProcess } from '../dist/test-support/processes.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000000' },
    workers: { type: 'string', default: '2' },
    'rows-per-file': { type: 'string', default: '500000' },
    shards: { type: 'string' },
  },
});
const users = Number(values.users);
const perFile = Number(values['rows-per-file']);
const FEATURES = 20;
const MODEL = 'throughput';

/** Deterministic features in [-1, 1): users differ, and the model's scores with them. */
function usersPart(start, end) {
  const cols = { user_id: [] };
  for (let k = 0; k < FEATURES; k++) cols[`x${k}`] = new Float32Array(end - start);
  for (let i = start; i < end; i++) {
    cols.user_id.push(`u${i}`);
    for (let k = 0; k < FEATURES; k++) cols[`x${k}`][i - start] = (((i * 7919 + k * 104729) % 20011) / 20011) * 2 - 1;
  }
  return cols;
}

const rt = await createTestRuntime('throughput');
const workers = [];
try {
  const cluster = startAllRoles(rt.ctx, 1);
  try {
    const spec = await tinySimulatedDataset(rt.ctx.store, 'tiny', { features: FEATURES });
    await runToCompletion(rt.ctx, tinyRunConfig('throughput-run', spec, { methods: ['tsm-rct'] }));
  } finally {
    await cluster.close();
  }
  await promoteModel(rt.ctx, { model: MODEL, runId: 'throughput-run', method: 'tsm-rct', by: cliOrigin() });
  const version = await readVersion(rt.ctx.store, MODEL, 1);
  const missing = version.encoding.featureNames.filter((f) => !/^x\d+$/.test(f) || Number(f.slice(1)) >= FEATURES);
  if (missing.length) throw new Error(`the model reads features this table lacks: ${missing.join(', ')}`);

  const dir = join(rt.storeDir, 'users-table');
  await mkdir(dir);
  const t0 = performance.now();
  let bytes = 0;
  for (let start = 0, part = 0; start < users; start += perFile, part++) {
    const file = join(dir, `part-${String(part).padStart(4, '0')}.parquet`);
    await writeFile(file, writeParquet(usersPart(start, Math.min(users, start + perFile))));
    bytes += (await stat(file)).size;
  }
  console.log(
    `users table: ${users} rows × ${FEATURES} float32 features + user_id, ${(bytes / 2 ** 20).toFixed(0)} MiB ` +
      `in ${Math.ceil(users / perFile)} file(s), written in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  // A budget that binds, from the same version's scores of a sample (users are alike throughout the table).
  const sampleEnd = Math.min(users, 20_000);
  const first = join(dir, 'part-0000.parquet');
  const sample = await readShardUsers(
    [{ source: first, start: 0, end: sampleEnd }],
    'user_id',
    version.encoding,
    rt.ctx.store,
    sourceAccess(rt.env),
  );
  const m = version.encoding.arms.length;
  const zeros = {
    arm: new Int32Array(sampleEnd),
    revenue: new Float64Array(sampleEnd),
    cost: new Float64Array(sampleEnd),
  };
  const table = { n: sampleEnd, d: sample.d, m, x: sample.x, ...zeros };
  const scores = await predictWithModel(rt.ctx.store, version.weights, version.encoding, table, rt.env.tfBackend);
  const top = coarseRound(scanShard(scores).summary, Infinity).threshold;
  const perUser = (top.baseCost + 0.4 * (top.topCost - top.baseCost)) / sampleEnd;

  for (let w = 0; w < Number(values.workers); w++) workers.push(await startWorkerProcess('allocator', rt.env));
  const started = performance.now();
  const args = ['allocate', '--model', MODEL, '--users', `${dir}/`, '--budget-per-user', String(perUser)];
  if (values.shards) args.push('--shards', values.shards); // else allocate's default: one per 500,000 users
  const child = spawn(process.execPath, [BIN, ...args, '--id', 'throughput', '--wait', '--json'], {
    env: { ...process.env, ...runtimeEnvToVars(rt.env) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise((resolve) => child.on('close', resolve));
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`bidfcl allocate exited with ${code}:\n${out}`);
  const summary = JSON.parse(out.slice(out.indexOf('{')));
  if (!(await rt.ctx.store.exists(keys.allocationSummary('throughput')))) throw new Error('no summary.json');
  console.log(
    `bidfcl allocate, ${users} users, ${workers.length} allocator worker processes, ${cpus().length} cores: ` +
      `${seconds.toFixed(1)} s wall = ${Math.round(users / seconds)} users/s (read + score + solve + write; ` +
      `λ* ${summary.lambda}, ${summary.shards} shard(s))`,
  );
} finally {
  await Promise.all(workers.map((w) => w.stop()));
  await rt.cleanup();
}
