import type { ScoreMatrix } from '@bidfcl/contracts';
import {
  allocateBudget,
  assignShard,
  coarseRound,
  fineRound,
  listBinBreakpoints,
  mergeSummaries,
  scanShard,
  type AllocationThreshold,
  type BinBreakpoints,
  type ShardScan,
} from '@bidfcl/core';

/** One synthetic population: its size, arms, budget per user and the seed its scores derive from. */
export interface SyntheticPopulation {
  users: number;
  arms: number;
  budgetPerUser: number;
  seed: number;
}

/** CPU and wall milliseconds. CPU time is what we compare: other processes share the cores. */
export interface Times {
  cpu: number;
  wall: number;
}

/** What one configuration measured (bidfcl bench-allocate prints these; its --json writes them). */
export interface BenchAllocateResult {
  config: string;
  /** 'single' (allocateBudget on the whole matrix) or the shard count. */
  shards: 'single' | number;
  lambda: number;
  /** FNV-1a of every user's arm in user order: equal for equal assignments. */
  armsHash: string;
  /** Budget minus the predicted total cost (≥ 0; small when the budget binds). */
  gap: number;
  /** One raw read pass (sum every r and c) over the same arrays, the unit the solve is measured in. */
  raw: Times;
  solve: Times;
  /** solve.cpu / raw.cpu. */
  rawPasses: number;
  /** Sharded only: CPU ms of each step, and how many upgrades the fine round listed. */
  steps?: Record<'scan' | 'coarse' | 'list' | 'fine' | 'assign', number>;
  fineRoundUpgrades?: number;
  /** Peak resident set size of the process that measured this configuration, bytes. */
  peakRss: number;
}

/** A counter-based hash → [0, 1): the same user gets the same scores whichever shard generates it. */
function unit(i: number, j: number, salt: number): number {
  let h = Math.imul(i ^ Math.imul(j + 1, 0x9e3779b1), 0x85ebca6b) ^ salt;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/**
 * Scores of users [start, end): arm 0 free, arm j costs about j/4, revenue with diminishing returns in j, and
 * one 53-bit tie key per user. Generated per shard so that memory is bounded by the shard, not the population.
 */
export function syntheticShard(
  pop: SyntheticPopulation,
  start: number,
  end: number,
): { scores: ScoreMatrix; tieKeys: Float64Array } {
  const { arms } = pop;
  const s = Math.imul(pop.seed, 0x27d4eb2d); // seed 0 keeps the salts (and numbers) of the original script
  const n = end - start;
  const r = new Float64Array(n * arms);
  const c = new Float64Array(n * arms);
  const tieKeys = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = start + k;
    const base = 2 * unit(i, 0, 11 ^ s);
    const resp = unit(i, 0, 12 ^ s);
    for (let j = 0; j < arms; j++) {
      c[k * arms + j] = j * (0.2 + 0.1 * unit(i, j, 13 ^ s));
      r[k * arms + j] = base + resp * Math.log1p(3 * j * unit(i, j, 14 ^ s));
    }
    tieKeys[k] = unit(i, 0, 15 ^ s) * 2 ** 32 * 2 ** 21 + Math.floor(unit(i, 1, 16 ^ s) * 2 ** 21);
  }
  return { scores: { n, m: arms, r, c }, tieKeys };
}

function timed<T>(fn: () => T): { value: T } & Times {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const value = fn();
  const c1 = process.cpuUsage(c0);
  return { value, cpu: (c1.user + c1.system) / 1000, wall: performance.now() - w0 };
}

function rawPass(s: ScoreMatrix): number {
  let sum = 0;
  const { r, c } = s;
  for (let k = 0; k < r.length; k++) sum += r[k]! + c[k]!;
  return sum;
}

/** The raw pass as the machine can do it: JIT-compiled first (warmUp), then the fastest of 3 timings. */
function timedRawPass(s: ScoreMatrix): Times {
  const runs = [0, 1, 2].map(() => timed(() => rawPass(s)));
  return { cpu: Math.min(...runs.map((t) => t.cpu)), wall: Math.min(...runs.map((t) => t.wall)) };
}

const FNV_BASIS = 0x811c9dc5;
function armsHash(h: number, arms: Int32Array): number {
  for (let i = 0; i < arms.length; i++) h = Math.imul(h ^ arms[i]!, 0x01000193) >>> 0;
  return h;
}

/** Drops garbage between passes (when run with --expose-gc) so peak RSS shows one shard at a time. */
const collect = () => (globalThis as { gc?: () => void }).gc?.();
const add = (a: Times, b: Times): Times => ({ cpu: a.cpu + b.cpu, wall: a.wall + b.wall });
const times = (t: Times): Times => ({ cpu: t.cpu, wall: t.wall });
const peakRss = () => process.resourceUsage().maxRSS * 1024;

/** Compiles the raw pass before it is timed, so the unit is the machine's, not the interpreter's. */
export function warmUp(pop: SyntheticPopulation): void {
  const warm = syntheticShard(pop, 0, Math.min(1000, pop.users)).scores;
  for (let k = 0; k < 200; k++) rawPass(warm);
}

/** Today's single-process allocateBudget on the whole score matrix (no tie keys: its deployed behaviour). */
export function measureSingle(pop: SyntheticPopulation): BenchAllocateResult {
  const { scores } = syntheticShard(pop, 0, pop.users);
  const raw = timedRawPass(scores);
  const solve = timed(() => allocateBudget(scores, pop.budgetPerUser));
  return {
    config: 'allocateBudget (one process)',
    shards: 'single',
    lambda: solve.value.lambda,
    armsHash: armsHash(FNV_BASIS, solve.value.assignment).toString(16),
    gap: pop.budgetPerUser * pop.users - solve.value.cost * pop.users,
    raw: times(raw),
    solve: times(solve),
    rawPasses: solve.cpu / raw.cpu,
    peakRss: peakRss(),
  };
}

/**
 * The sharded path's steps (scan, coarse round, fine round, assignment) over `shards` shards, one shard's scores
 * in memory at a time: regenerated before each pass, untimed, as a worker re-reads its shard.
 */
export function measureSharded(pop: SyntheticPopulation, shards: number): BenchAllocateResult {
  const bounds = Array.from({ length: shards + 1 }, (_, k) => Math.round((k * pop.users) / shards));
  const shard = (k: number) => syntheticShard(pop, bounds[k]!, bounds[k + 1]!);
  let raw: Times = { cpu: 0, wall: 0 };
  let solve: Times = { cpu: 0, wall: 0 };
  const steps = { scan: 0, coarse: 0, list: 0, fine: 0, assign: 0 };
  const scans: ShardScan[] = [];
  for (let k = 0; k < shards; k++) {
    const { scores } = shard(k);
    raw = add(raw, timedRawPass(scores));
    const t = timed(() => scanShard(scores));
    solve = add(solve, t);
    steps.scan += t.cpu;
    scans.push(t.value);
    collect();
  }
  const budget = pop.budgetPerUser * pop.users;
  const coarse = timed(() => coarseRound(mergeSummaries(scans.map((s) => s.summary)), budget));
  solve = add(solve, coarse);
  steps.coarse += coarse.cpu;
  let threshold: AllocationThreshold;
  let fineRoundUpgrades = 0;
  if (coarse.value.kind === 'done') threshold = coarse.value.threshold;
  else {
    const bin = coarse.value;
    const lists: BinBreakpoints[] = [];
    for (let k = 0; k < shards; k++) {
      const { scores, tieKeys } = shard(k);
      const t = timed(() => listBinBreakpoints(scores, scans[k]!, tieKeys, bin.bin));
      solve = add(solve, t);
      steps.list += t.cpu;
      lists.push(t.value);
      collect();
    }
    fineRoundUpgrades = bin.count;
    const fine = timed(() => fineRound(bin, lists));
    solve = add(solve, fine);
    steps.fine += fine.cpu;
    threshold = fine.value;
  }
  let hash = FNV_BASIS;
  for (let k = 0; k < shards; k++) {
    const { scores, tieKeys } = shard(k);
    const t = timed(() => assignShard(scores, scans[k]!.hulls, tieKeys, threshold));
    solve = add(solve, t);
    steps.assign += t.cpu;
    hash = armsHash(hash, t.value);
    collect();
  }
  return {
    config: `allocateShards, ${shards} shard${shards > 1 ? 's' : ''}`,
    shards,
    lambda: threshold.lambda,
    armsHash: hash.toString(16),
    gap: budget - threshold.cost,
    raw,
    solve,
    rawPasses: solve.cpu / raw.cpu,
    steps,
    fineRoundUpgrades,
    peakRss: peakRss(),
  };
}
