// Peak RSS of the population allocation's steps whose memory grew with the population (issue 9 §4): the scan job's
// read of its shard, the CLI's pre-check (planAllocation) and finalize's sha256, each before (the former code,
// restated here) and after, each in a fresh process. Numbers, not a test.
// Usage: node --max-old-space-size=12000 packages/cli/bench/allocate-memory.mjs [--users 1000000] [--dir /tmp/x]
// The users table is ONE Parquet file of N rows × 20 float32 features + user_id in row groups of 131,072 rows (about
// DuckDB's default), so a 500,000-user shard spans a few row groups of a file much larger than the shard.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeRawFeatures } from '@bidfcl/core';
import * as io from '@bidfcl/io';

const { values } = parseArgs({
  options: { users: { type: 'string', default: '1000000' }, dir: { type: 'string' }, step: { type: 'string' } },
});
const users = Number(values.users);
const dir = values.dir ?? `/tmp/bidfcl-allocate-memory-${users}`;
const FEATURES = 20;
const SHARD = 500_000;
const shards = Math.ceil(users / SHARD);
const file = join(dir, 'users.parquet');
const encoding = {
  featureNames: Array.from({ length: FEATURES }, (_, k) => `x${k}`),
  mean: new Array(FEATURES).fill(0),
  std: new Array(FEATURES).fill(1),
  vocab: {},
  arms: Array.from({ length: 8 }, (_, j) => ({ name: `a${j}` })),
};
const store = new io.LocalStore(join(dir, 'store'));
const mid = { source: file, start: Math.floor(users / 2 / SHARD) * SHARD, end: 0 };
mid.end = Math.min(users, mid.start + SHARD);
const arm = (i) => (i * 2654435761) % 8;

const steps = {
  // The former readShardUsers: the whole file, then the shard's rows.
  'scan-before': async () => {
    const t = await io.readUsersTable(mid.source, store, {});
    const ids = io.usersTableIds(t, 'user_id', mid.start, mid.end);
    const x = encodeRawFeatures(t.table.columns, encoding, mid.start, mid.end, t.what);
    return `${ids.length} users, ${x.length} features`;
  },
  'scan-after': async () => {
    const u = await io.readShardUsers([mid], 'user_id', encoding, store, {});
    return `${u.n} users, ${u.x.length} features`;
  },
  // The former planAllocation: the whole file, every id as a string in a Map.
  'plan-before': async () => {
    const seen = new Map();
    const t = await io.readUsersTable(file, store, {});
    const n = t.table.numRows;
    const ids = io.usersTableIds(t, 'user_id', 0, n);
    encodeRawFeatures(t.table.columns, encoding, 0, n, t.what);
    ids.forEach((id, i) => seen.set(id, `${t.what} row ${i + 1}`));
    return `${seen.size} ids`;
  },
  'plan-after': async () => {
    const p = await io.planAllocation([file], { encoding }, 'user_id', undefined, store, {});
    return `${p.users} users, ${p.shards.length} shards`;
  },
  // The former finalize: every staged part's ids and arms kept for decisionsSha256.
  'finalize-before': async () => {
    const ids = [];
    const arms = [];
    for (let s = 0; s < shards; s++) {
      const key = `allocation-staging/mem/decisions/part-${String(s).padStart(5, '0')}.parquet`;
      const part = io.readDecisionsPart(await store.get(key), key);
      part.userIds.forEach((id, i) => (ids.push(id), arms.push(part.armIndex[i])));
    }
    return `sha256 ${io.decisionsSha256(ids, arms)}`;
  },
  'finalize-after': async () => `sha256 ${(await io.publishDecisions(store, 'mem', shards, 8)).sha256}`,
};

if (values.step) {
  const detail = await steps[values.step]();
  // VmHWM, not getrusage's maxRSS: Linux carries maxRSS over from the parent across fork + exec.
  const rss = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
  console.log(JSON.stringify({ step: values.step, users, peakRssMiB: Math.round(rss), detail }));
  process.exit(0);
}

if (!existsSync(file)) {
  await mkdir(dir, { recursive: true });
  const t0 = performance.now();
  const cols = { user_id: Array.from({ length: users }, (_, i) => `u${i}`) };
  for (let k = 0; k < FEATURES; k++)
    cols[`x${k}`] = Float32Array.from({ length: users }, (_, i) => (((i * 7919 + k * 104729) % 20011) / 20011) * 2 - 1);
  await writeFile(file, io.writeParquet(cols, { rowGroupRows: 131072 }));
  // Staged parts as allocate.assign writes them: decisions (7 columns) and the sorted digest input.
  for (let s = 0; s < shards; s++) {
    const ids = cols.user_id.slice(s * SHARD, Math.min(users, (s + 1) * SHARD));
    const a = Int32Array.from(ids, (_, i) => arm(s * SHARD + i));
    const f = Float64Array.from(ids, (_, i) => i / 7);
    const decisions = {
      user_id: ids,
      arm: Array.from(a, (j) => `a${j}`),
      arm_index: a,
      predicted_revenue: f,
      predicted_cost: f.slice(), // (one array in two columns makes an IPC stream parquet-wasm cannot read)
      predicted_uplift_revenue: f.slice(),
      predicted_uplift_cost: f.slice(),
    };
    const pad = String(s).padStart(5, '0');
    await store.put(`allocation-staging/mem/decisions/part-${pad}.parquet`, io.writeParquet(decisions));
    await store.put(`allocation-staging/mem/digest/part-${pad}.parquet`, io.digestPart(ids, a));
  }
  console.log(`wrote ${users} users and ${shards} staged parts in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
for (const step of Object.keys(steps)) {
  const out = execFileSync(process.execPath, [
    '--max-old-space-size=12000',
    process.argv[1],
    '--users',
    String(users),
    '--dir',
    dir,
    '--step',
    step,
  ]);
  process.stdout.write(out);
}
