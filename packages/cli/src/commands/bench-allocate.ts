import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { intOption, parse, printed } from '../args.js';
import { CliError, usageError } from '../cli-error.js';
import {
  measureSharded,
  measureSingle,
  warmUp,
  type BenchAllocateResult,
  type SyntheticPopulation,
} from '../bench-allocate-measure.js';

export const benchAllocateHelp = `bidfcl bench-allocate [--users <n>] [--arms <m>] [--shards 1,8] [--budget-per-user x]
                      [--seed <s>] [--no-single] [--json <out.json>]
  Speed and memory of the exact λ* solve plus assignment on synthetic scores (no Redis, no store): for each shard
  count, the sharded path (scan, coarse round, fine round, assignment; one shard's scores in memory at a time),
  and today's single-process allocateBudget on the whole matrix. Each configuration runs in its own process, so
  its peak RSS is its own. Prints CPU and wall seconds, the solve in raw read passes over the same score arrays,
  λ*, a hash of every user's arm (equal across shard counts), the budget gap and peak RSS. Numbers, not a test.
  --users            users (default 2000000)        --arms   arms per user (default 8)
  --shards           shard counts to measure, comma-separated (default 1,8)
  --budget-per-user  budget per user (default 0.6)  --seed   scores' seed (default 0)
  --no-single        skip allocateBudget (it holds the whole matrix and more: about 2.3 GiB at 10M × 8)
  --json             also write {users, arms, budgetPerUser, seed, results} to this file`;

const BIN = fileURLToPath(new URL('../bin.js', import.meta.url));

function positive(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const x = Number(value);
  if (!(Number.isFinite(x) && x > 0)) throw usageError(`--${name} must be a positive number, got '${value}'`);
  return x;
}

/** Runs one configuration in a child `bidfcl bench-allocate --only <cfg>` with --expose-gc; returns its result. */
function inChild(argv: string[], config: string): BenchAllocateResult {
  const child = spawnSync(process.execPath, ['--expose-gc', BIN, 'bench-allocate', ...argv, '--only', config], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) throw new CliError(`configuration ${config} failed with status ${child.status}`);
  return JSON.parse(child.stdout) as BenchAllocateResult;
}

function line(r: BenchAllocateResult): string {
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const out =
    `${r.config.padEnd(30)} solve+assign ${s(r.solve.cpu)} s CPU (${s(r.solve.wall)} s wall) = ` +
    `${r.rawPasses.toFixed(1)} raw passes (raw pass ${(r.raw.cpu / 1000).toFixed(3)} s CPU)  ` +
    `λ* ${r.lambda.toPrecision(10)}  arms hash ${r.armsHash}  budget gap ${r.gap.toExponential(3)}  ` +
    `peak RSS ${(r.peakRss / 2 ** 30).toFixed(2)} GiB`;
  if (!r.steps) return out;
  const parts = Object.entries(r.steps).map(([k, v]) => `${k} ${(v / r.raw.cpu).toFixed(1)}`);
  const upgrades = `fine round over ${r.fineRoundUpgrades} upgrades`;
  return `${out}\n${''.padEnd(30)} in raw passes (CPU): ${parts.join(', ')}; ${upgrades}`;
}

/** `bidfcl bench-allocate`: the allocation solve's speed and memory on synthetic scores (issue 9 §4). */
export async function benchAllocateCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    users: { type: 'string' },
    arms: { type: 'string' },
    shards: { type: 'string' },
    'budget-per-user': { type: 'string' },
    seed: { type: 'string' },
    'no-single': { type: 'boolean' },
    json: { type: 'string' },
    only: { type: 'string' }, // internal: the child process measuring one configuration
    help: { type: 'boolean' },
  });
  if (values.help) return printed(benchAllocateHelp);
  const pop: SyntheticPopulation = {
    users: intOption(values.users, 'users', 2_000_000),
    arms: intOption(values.arms, 'arms', 8, 2),
    budgetPerUser: positive(values['budget-per-user'], 'budget-per-user', 0.6),
    seed: intOption(values.seed, 'seed', 0, 0),
  };
  const shardCounts = (values.shards ?? '1,8').split(',').map((s) => intOption(s, 'shards', 1));
  if (shardCounts.some((s) => s > pop.users)) throw usageError('--shards: more shards than users');
  if (values.only !== undefined) {
    warmUp(pop);
    const res = values.only === 'single' ? measureSingle(pop) : measureSharded(pop, intOption(values.only, 'only', 1));
    process.stdout.write(JSON.stringify(res));
    return 0;
  }
  const configs = [...(values['no-single'] ? [] : ['single']), ...shardCounts.map(String)];
  const childArgv = argv.filter((a, i) => a !== '--json' && argv[i - 1] !== '--json');
  const results = configs.map((cfg) => inChild(childArgv, cfg));
  const total = pop.budgetPerUser * pop.users;
  console.log(`${pop.users} users × ${pop.arms} arms, budget ${pop.budgetPerUser} per user (${total} total)`);
  for (const r of results) console.log(line(r));
  if (values.json) {
    await writeFile(values.json, JSON.stringify({ tool: 'bidfcl bench-allocate', ...pop, results }, null, 2) + '\n');
    console.log(`wrote ${values.json}`);
  }
  return 0;
}
