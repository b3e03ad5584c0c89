// Load benchmark (issue 13, "Load"): N small runs enqueued at once against 2 `bidfcl worker` processes per role, a
// redis-server of its own (so that its memory is this benchmark's alone) and a store in a temp folder. Waits for every
// run, then `bidfcl runs prune --keep <K>`, and prints wall time, runs per minute, Redis memory and keys, and the
// store's objects and bytes before and after the prune. Numbers, not a test: nothing here is asserted but that the
// runs succeed and the prune leaves K. Usage (after `npm run build`):
//   node packages/cli/bench/load-runs.mjs [runs=100] [keep=10] [--json]
import { readdir, stat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { ROLE_NAMES } from '@bidfcl/contracts';
import { createRuntimeContext, loadRuntimeEnv, startRun, waitForRun } from '@bidfcl/runtime';
import { runCli, startWorkerProcess } from '../dist/test-support/processes.js';
import { tinyRunConfig, tinySimulatedDataset } from '../dist/test-support/fixtures.js';
import { startOwnRedis } from '../faults/own-redis.mjs';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const RUNS = Number(args[0] ?? 100);
const KEEP = Number(args[1] ?? 10);
const JSON_OUT = process.argv.includes('--json');
const PER_ROLE = 2;
const t0 = Date.now();
const log = (m) => console.error(`[load ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${m}`);

/** Objects and bytes under a folder (the store). */
async function du(dir) {
  let objects = 0;
  let bytes = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    objects++;
    bytes += (await stat(path.join(e.parentPath ?? e.path, e.name))).size;
  }
  return { objects, bytes };
}

async function redisFigures(url) {
  const r = new Redis(url);
  try {
    const info = await r.info('memory');
    const used = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
    return { usedMemoryBytes: used, keys: await r.dbsize() };
  } finally {
    r.disconnect();
  }
}

const redis = await startOwnRedis();
const storeDir = await mkdtemp(path.join(tmpdir(), 'bidfcl-load-'));
const env = { ...loadRuntimeEnv({}), redisUrl: redis.url, prefix: 'load', storeUrl: storeDir, tfBackend: 'wasm' };
const ctx = createRuntimeContext(env);
const workers = [];
try {
  const dataset = await tinySimulatedDataset(ctx.store, 'load');
  const empty = { redis: await redisFigures(redis.url), store: await du(storeDir) };
  log(`starting ${PER_ROLE} worker processes per role (${ROLE_NAMES.length} roles)`);
  for (const role of ROLE_NAMES) for (let k = 0; k < PER_ROLE; k++) workers.push(await startWorkerProcess(role, env));

  const extra = { methods: ['tsm-rct', 'random'], training: { epochs: 2, batchSize: 256, hidden: [16, 8] } };
  const ids = Array.from({ length: RUNS }, (_, i) => `load-${String(i).padStart(3, '0')}`);
  const started = Date.now();
  await Promise.all(ids.map((id, i) => startRun(ctx, { ...tinyRunConfig(id, dataset, extra), seed: i })));
  log(`${RUNS} runs enqueued in ${((Date.now() - started) / 1000).toFixed(1)} s; waiting for them`);
  let done = 0;
  const records = await Promise.all(
    ids.map((id) =>
      waitForRun(ctx, id).then((r) => {
        if (++done % 10 === 0) log(`${done}/${RUNS} runs ended`);
        return r;
      }),
    ),
  );
  const wallSeconds = (Date.now() - started) / 1000;
  const failed = records.filter((r) => r.status !== 'succeeded');
  const loaded = { redis: await redisFigures(redis.url), store: await du(storeDir) };

  const pruneStarted = Date.now();
  const prune = await runCli(['runs', 'prune', '--keep', String(KEEP), '--json'], env);
  if (prune.code !== 0) throw new Error(`runs prune exited ${prune.code}:\n${prune.stderr}`);
  const pruneSeconds = (Date.now() - pruneStarted) / 1000;
  const pruned = JSON.parse(prune.stdout);
  const after = { redis: await redisFigures(redis.url), store: await du(storeDir) };

  const result = {
    runs: RUNS,
    processesPerRole: PER_ROLE,
    succeeded: RUNS - failed.length,
    failed: failed.map((r) => ({ runId: r.runId, status: r.status, error: r.error })),
    wallSeconds,
    runsPerMinute: (RUNS / wallSeconds) * 60,
    prune: { keep: KEEP, deleted: pruned.runs.length, jobsCleaned: pruned.jobsCleaned, seconds: pruneSeconds },
    empty,
    loaded,
    after,
  };
  if (JSON_OUT) console.log(JSON.stringify(result, null, 2));
  else {
    const mib = (b) => `${(b / 1048576).toFixed(1)} MiB`;
    const row = (name, f) =>
      `${name.padEnd(22)} ${mib(f.redis.usedMemoryBytes).padStart(10)} ${String(f.redis.keys).padStart(7)} ` +
      `${String(f.store.objects).padStart(8)} ${mib(f.store.bytes).padStart(10)}`;
    console.log(`${RUNS} runs (tsm-rct + random, tiny marketing-8), ${PER_ROLE} processes per role`);
    console.log(
      `succeeded ${result.succeeded}/${RUNS} in ${wallSeconds.toFixed(1)} s (${result.runsPerMinute.toFixed(1)}/min)`,
    );
    console.log(`runs prune --keep ${KEEP}: ${pruned.runs.length} runs deleted in ${pruneSeconds.toFixed(1)} s`);
    const head = ['redis mem', 'keys', 'objects', 'store'].map((h, k) => h.padStart([10, 7, 8, 10][k]));
    console.log(`${'state'.padEnd(22)} ${head.join(' ')}`);
    console.log(row('before any run', empty));
    console.log(row(`after ${RUNS} runs`, loaded));
    console.log(row(`after prune --keep ${KEEP}`, after));
  }
  process.exitCode = failed.length ? 1 : 0;
} finally {
  await Promise.all(workers.map((w) => w.stop(10_000)));
  await ctx.close();
  await redis.stop();
  await rm(storeDir, { recursive: true, force: true });
}
