// λ* solve plus assignment over a synthetic population (issue 9 §4) on the built package (dist/); not a test.
// Usage: node packages/core/bench/bench-allocate.mjs [--users 2000000] [--arms 8] [--shards 1,8]
//          [--budget-per-user 0.6] [--no-single] [--json]
// Each configuration runs in its own child process so that its peak RSS is its own: the single-process
// allocateBudget on the whole score matrix, and allocateShards' steps (scan, coarse round, fine round,
// assignment) over S shards, one shard's scores in memory at a time (regenerated before each pass, untimed, as
// a worker would re-read its shard). Times are CPU times of this process (robust when other processes share the
// cores), with wall times beside them. "Raw pass" is one loop summing every r and c of the same arrays.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  allocateBudget,
  assignShard,
  coarseRound,
  fineRound,
  listBinBreakpoints,
  mergeSummaries,
  scanShard,
} from '../dist/index.js';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const opt = (name, fallback) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : fallback;
};
const users = Number(opt('users', 2_000_000));
const arms = Number(opt('arms', 8));
const shardCounts = opt('shards', '1,8').split(',').map(Number);
const budgetPerUser = Number(opt('budget-per-user', 0.6));
const only = opt('only', undefined);

/** A counter-based hash → [0, 1): the same user gets the same scores whatever shard generates it. */
function unit(i, j, salt) {
  let h = Math.imul(i ^ Math.imul(j + 1, 0x9e3779b1), 0x85ebca6b) ^ salt;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Users [start, end): arm 0 free, arm j costs about j/4, revenue with diminishing returns in j. */
function generate(start, end) {
  const n = end - start;
  const r = new Float64Array(n * arms);
  const c = new Float64Array(n * arms);
  const tieKeys = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = start + k;
    const base = 2 * unit(i, 0, 11);
    const resp = unit(i, 0, 12);
    for (let j = 0; j < arms; j++) {
      c[k * arms + j] = j * (0.2 + 0.1 * unit(i, j, 13));
      r[k * arms + j] = base + resp * Math.log1p(3 * j * unit(i, j, 14));
    }
    tieKeys[k] = unit(i, 0, 15) * 2 ** 32 * 2 ** 21 + Math.floor(unit(i, 1, 16) * 2 ** 21); // 53 bits
  }
  return { scores: { n, m: arms, r, c }, tieKeys };
}

function timed(fn) {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const value = fn();
  const c1 = process.cpuUsage(c0);
  return { value, cpu: (c1.user + c1.system) / 1000, wall: performance.now() - w0 };
}

function rawPass(s) {
  let sum = 0;
  const { r, c } = s;
  for (let k = 0; k < r.length; k++) sum += r[k] + c[k];
  return sum;
}

/** The raw pass as the machine can do it: compiled by the JIT first, then the fastest of 3 timings. */
function timedRawPass(s) {
  const runs = [0, 1, 2].map(() => timed(() => rawPass(s)));
  return { cpu: Math.min(...runs.map((t) => t.cpu)), wall: Math.min(...runs.map((t) => t.wall)) };
}

/** FNV-1a over the arms, in user order: equal hashes for equal assignments. */
function armsHash(h, arms) {
  for (let i = 0; i < arms.length; i++) h = Math.imul(h ^ arms[i], 0x01000193) >>> 0;
  return h;
}
const FNV_BASIS = 0x811c9dc5;
/** Drops garbage between passes (the child runs with --expose-gc) so peak RSS shows one shard at a time. */
const collect = () => globalThis.gc?.();
{
  const warm = generate(0, 1000).scores;
  for (let k = 0; k < 200; k++) rawPass(warm);
}

const add = (a, b) => ({ cpu: a.cpu + b.cpu, wall: a.wall + b.wall });
const times = (t) => ({ cpu: t.cpu, wall: t.wall });
const zero = () => ({ cpu: 0, wall: 0 });
const peakRss = () => process.resourceUsage().maxRSS * 1024;

function runSingle() {
  const { scores } = generate(0, users);
  const raw = timedRawPass(scores);
  const solve = timed(() => allocateBudget(scores, budgetPerUser));
  const res = solve.value;
  const budget = budgetPerUser * users;
  return {
    config: 'allocateBudget (one process)',
    lambda: res.lambda,
    armsHash: armsHash(FNV_BASIS, res.assignment),
    gap: budget - res.cost * users,
    raw: times(raw),
    solve: times(solve),
  };
}

function runSharded(shards) {
  const bounds = Array.from({ length: shards + 1 }, (_, k) => Math.round((k * users) / shards));
  const shard = (k) => generate(bounds[k], bounds[k + 1]);
  let raw = zero();
  let solve = zero();
  const steps = { scan: 0, coarse: 0, list: 0, fine: 0, assign: 0 }; // CPU ms
  const scans = [];
  for (let k = 0; k < shards; k++) {
    const { scores } = shard(k);
    raw = add(raw, timedRawPass(scores));
    const t = timed(() => scanShard(scores));
    solve = add(solve, t);
    steps.scan += t.cpu;
    scans.push(t.value);
    collect();
  }
  const budget = budgetPerUser * users;
  const coarse = timed(() => coarseRound(mergeSummaries(scans.map((s) => s.summary)), budget));
  solve = add(solve, coarse);
  steps.coarse += coarse.cpu;
  let threshold = coarse.value.kind === 'done' ? coarse.value.threshold : undefined;
  let fineCount = 0;
  if (!threshold) {
    const lists = [];
    for (let k = 0; k < shards; k++) {
      const { scores, tieKeys } = shard(k);
      const t = timed(() => listBinBreakpoints(scores, scans[k], tieKeys, coarse.value.bin));
      solve = add(solve, t);
      steps.list += t.cpu;
      lists.push(t.value);
      collect();
    }
    fineCount = coarse.value.count;
    const fine = timed(() => fineRound(coarse.value, lists));
    solve = add(solve, fine);
    steps.fine += fine.cpu;
    threshold = fine.value;
  }
  let spent = 0;
  let hash = FNV_BASIS;
  for (let k = 0; k < shards; k++) {
    const { scores, tieKeys } = shard(k);
    const t = timed(() => assignShard(scores, scans[k].hulls, tieKeys, threshold));
    solve = add(solve, t);
    steps.assign += t.cpu;
    for (let i = 0; i < scores.n; i++) spent += scores.c[i * arms + t.value[i]];
    hash = armsHash(hash, t.value);
    collect();
  }
  return {
    config: `allocateShards, ${shards} shard${shards > 1 ? 's' : ''}`,
    lambda: threshold.lambda,
    armsHash: hash,
    gap: budget - threshold.cost,
    plainSumGap: budget - spent,
    fineRoundUpgrades: fineCount,
    raw,
    solve,
    steps,
  };
}

if (only) {
  const res = only === 'single' ? runSingle() : runSharded(Number(only));
  process.stdout.write(JSON.stringify({ ...res, peakRss: peakRss() }));
} else {
  const configs = [...(flag('no-single') ? [] : ['single']), ...shardCounts.map(String)];
  const self = fileURLToPath(import.meta.url);
  const results = [];
  for (const cfg of configs) {
    const child = spawnSync(process.execPath, ['--expose-gc', self, ...argv, '--only', cfg], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (child.status !== 0) throw new Error(`configuration ${cfg} failed with status ${child.status}`);
    results.push(JSON.parse(child.stdout));
  }
  if (flag('json')) {
    console.log(JSON.stringify({ users, arms, budgetPerUser, results }, null, 2));
  } else {
    console.log(`${users} users × ${arms} arms, budget ${budgetPerUser} per user (${budgetPerUser * users} total)`);
    for (const r of results) {
      const ratio = (t) => (r.solve[t] / r.raw[t]).toFixed(1);
      console.log(
        `${r.config.padEnd(32)} solve+assign ${(r.solve.cpu / 1000).toFixed(2)} s CPU ` +
          `(${(r.solve.wall / 1000).toFixed(2)} s wall)` +
          `  raw pass ${(r.raw.cpu / 1000).toFixed(3)} s CPU  = ${ratio('cpu')} raw passes (${ratio('wall')} by wall)` +
          `  λ* ${r.lambda.toPrecision(10)}  arms hash ${r.armsHash.toString(16)}  ` +
          `budget gap ${r.gap.toExponential(3)}` +
          `  peak RSS ${(r.peakRss / 2 ** 30).toFixed(2)} GiB`,
      );
      if (r.steps) {
        const parts = Object.entries(r.steps).map(([k, v]) => `${k} ${(v / r.raw.cpu).toFixed(1)}`);
        console.log(
          `${''.padEnd(32)} in raw passes (CPU): ${parts.join(', ')}; fine round over ${r.fineRoundUpgrades} upgrades`,
        );
      }
    }
  }
}
