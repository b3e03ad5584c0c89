import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import {
  METHOD_IDS,
  METHOD_INFO,
  keys,
  runConfigSchema,
  type DatasetSpecInput,
  type EvaluationConfig,
  type MethodId,
  type RunConfigInput,
  type RunRecord,
} from '@bidfcl/contracts';
import { simulate } from '@bidfcl/core';
import { createRuntimeContext, findOrStartRedis, type RunEvent } from '@bidfcl/runtime';
import { deepMerge, intOption, parse, parseSets, printed } from '../args.js';
import { benchBudgets, withBudgets } from '../bench-budgets.js';
import { benchTable, summariseRuns, type BenchJson } from '../bench-summary.js';
import { usageError } from '../cli-error.js';
import { startAllRoles } from '../cluster.js';
import { cliEnv } from '../context.js';
import { runToCompletion } from '../local-run.js';
import { writeSimulatedDataset } from '../simulated-dataset.js';
import { resolveScenario } from './simulate.js';

export const benchHelp =
  'bidfcl bench [--scenario <preset|file> | --dataset <name|run-config file>] [--methods a,b,…] [--seeds n]\n' +
  `             [--budgets 0.25,0.5,… | --budgets-per-user 1.2,2.5,…] [--set key=value …] [--config-set key=value …]
             [--json out.json]
             [--concurrency n] [--data-dir dir] [--delete-runs]
  Runs the methods on the same data for each seed, through the queues (all five workers in this process,
  training in sandboxed child processes), and prints method × (true value / tsm-rct, oracle capture,
  IPW EOM / tsm-rct, training seconds, training time / tsm-both). Seed s draws the simulator's data with
  seed s (same world) and trains with seed s. --set changes a scenario field (e.g. sizes.obs=50000, as in
  bidfcl simulate); --config-set changes the run config (e.g. training.epochs=10; bidfcl.preset=paper runs the
  paper's Bi-DFCL settings instead of the default Teacher setting, README "Bi-DFCL"). Budgets are fractions of the
  uniform random assignment's cost (--budgets) or money per user in the cost column's units (--budgets-per-user).
  --json writes every per-seed, per-budget number and the summary (format: README, "bench JSON").
  Each seed's run stays in the store (bidfcl report <runId> draws it, bidfcl status <runId> shows it) unless
  --delete-runs: then the data is simulated into a copy of its own, and the run's artefacts and that copy are
  deleted once its metrics are read (2M OBS rows take ~0.8 GB per seed).`;

const DEFAULT_METHODS: MethodId[] = [...METHOD_IDS];
/** Real data has no simulator truth, so no oracle. */
const DEFAULT_REAL_METHODS: MethodId[] = METHOD_IDS.filter((m) => m !== 'oracle');

function versions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const v = (p: string) => {
    try {
      return (require(`${p}/package.json`) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  return {
    bidfcl: v('@bidfcl/cli'),
    node: process.version,
    '@tensorflow/tfjs': v('@tensorflow/tfjs'),
    bullmq: v('bullmq'),
  };
}

/**
 * One status line per event. Epoch progress overwrites itself on a terminal; in a log (not a terminal) each
 * epoch gets its own line, so a long bench piped to a file still shows where it is. Stage events precede the
 * run's final event, but pub/sub drops what arrives while a subscriber reconnects, so `finish` prints, from
 * the finished run's record, every ended stage no event announced.
 */
export function progressPrinter(prefix: () => string) {
  const tty = process.stdout.isTTY;
  let open = false;
  const ended = new Set<string>();
  const stageLine = (stage: string, status: string, seconds?: number, error?: string) => {
    if (status === 'succeeded' || status === 'failed') {
      if (ended.has(stage)) return;
      ended.add(stage);
    }
    if (open) process.stdout.write('\r\x1b[K');
    open = false;
    const marks: Record<string, string> = { succeeded: '✓', retrying: '↻', stalled: '⏸' };
    const mark = marks[status] ?? '✗';
    console.log(
      `${prefix()} ${mark} ${stage}${seconds !== undefined ? ` (${seconds.toFixed(1)} s)` : ''}` +
        `${error ? `: ${error}` : ''}`,
    );
  };
  const onEvent = (e: RunEvent) => {
    if (e.type === 'progress') {
      const p = e.progress as Record<string, unknown>;
      // Published on another connection than the stage's ✓, so it can arrive after it (see runEventPrinter).
      if (typeof p?.epoch !== 'number' || ended.has(e.stage)) return;
      const line = `${prefix()} ${e.stage}: epoch ${p.epoch}${typeof p.epochs === 'number' ? `/${p.epochs}` : ''}`;
      if (!tty) return console.log(line);
      process.stdout.write(`\r${line}\x1b[K`);
      open = true;
      return;
    }
    if (e.type !== 'stage' || e.status === 'running') return;
    stageLine(e.stage, e.status, e.seconds, e.error);
  };
  const finish = (record: RunRecord) => {
    for (const st of Object.values(record.stages).sort((a, b) =>
      (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''),
    )) {
      if (st.status === 'succeeded' || st.status === 'failed') stageLine(st.stage, st.status, st.seconds, st.error);
    }
  };
  return { onEvent, finish };
}

export async function benchCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    scenario: { type: 'string' },
    dataset: { type: 'string' },
    methods: { type: 'string' },
    seeds: { type: 'string' },
    'seed-start': { type: 'string' },
    budgets: { type: 'string' },
    'budgets-per-user': { type: 'string' },
    set: { type: 'string', multiple: true },
    'config-set': { type: 'string', multiple: true },
    json: { type: 'string' },
    concurrency: { type: 'string' },
    'data-dir': { type: 'string' },
    'delete-runs': { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (values.help) return printed(benchHelp);
  if (values.scenario && values.dataset) throw usageError('give --scenario or --dataset, not both');
  const methods = (values.methods
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean) ?? (values.dataset ? DEFAULT_REAL_METHODS : DEFAULT_METHODS)) as MethodId[];
  for (const m of methods)
    if (!METHOD_IDS.includes(m)) throw usageError(`unknown method '${m}'; known: ${METHOD_IDS.join(', ')}`);
  const nSeeds = intOption(values.seeds, 'seeds', 3);
  const seedStart = intOption(values['seed-start'], 'seed-start', 0, 0);
  const seeds = Array.from({ length: nSeeds }, (_, i) => seedStart + i);
  const budgets = benchBudgets(values.budgets, values['budgets-per-user']);
  const configSets = parseSets(values['config-set']);
  const scenarioSets = parseSets(values.set);
  const concurrency = intOption(values.concurrency, 'concurrency', 1);

  // Where each seed's data comes from.
  let scenario: Awaited<ReturnType<typeof resolveScenario>> | undefined;
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  // `ownPrefix`: store data the bench wrote for this seed (simulated data), deleted with the run on --delete-runs.
  let datasetFor: (
    seed: number,
    ctx: ReturnType<typeof createRuntimeContext>,
  ) => Promise<{ dataset: DatasetSpecInput; name: string; ownPrefix?: string }>;
  let baseConfig: Partial<RunConfigInput> = {};
  if (values.dataset) {
    const { datasetSource } = await import('../bench-dataset-source.js');
    const source = await datasetSource(values.dataset, values['data-dir'], configSets);
    datasetFor = source.datasetFor;
    baseConfig = source.baseConfig;
  } else {
    scenario = await resolveScenario(values.scenario ?? 'marketing-8', scenarioSets);
    const sc = scenario;
    datasetFor = async (seed, ctx) => {
      // Data to be deleted gets a version of its own: the shared `seed-<s>` copy may feed other benches' runs.
      const version = values['delete-runs'] ? `seed-${seed}-${stamp}` : `seed-${seed}`;
      const name = `bench-${sc.name}`;
      const prefix = keys.datasetPrefix(name, version);
      const { spec } = await writeSimulatedDataset(
        simulate({ ...sc, seed }),
        { store: ctx.store, prefix, uriOf: (k) => `store:${k}` },
        name,
        version,
      );
      return { dataset: spec, name, ownPrefix: prefix };
    };
  }

  const base = cliEnv();
  const redis = await findOrStartRedis(base.redisUrl, base.redisCaFile);
  const env = { ...base, redisUrl: redis.url, prefix: `${base.prefix}-bench` };
  const ctx = createRuntimeContext(env);
  // Concurrency n gives each role n slots; sandboxed roles (training, hypergradient) get n child processes.
  const cluster = startAllRoles(ctx, concurrency);
  const runs: BenchJson['runs'] = [];
  let configEcho: Record<string, unknown> = {};
  let evaluation: Partial<EvaluationConfig> = {};
  try {
    for (const [k, seed] of seeds.entries()) {
      const { dataset, name, ownPrefix } = await datasetFor(seed, ctx);
      const runId = `bench-${name.replace(/^bench-/, '')}-${stamp}-s${seed}`
        .toLowerCase()
        .replace(/[^a-z0-9._-]/g, '-');
      const input = deepMerge(
        {
          ...baseConfig,
          runId,
          seed,
          dataset,
          methods,
          ...(budgets ? { evaluation: withBudgets(baseConfig.evaluation, budgets) } : {}),
        },
        configSets,
      );
      const parsed = runConfigSchema.safeParse(input);
      if (!parsed.success)
        throw usageError(
          'bench run config is invalid: ' +
            `${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      const { dataset: _omit, runId: _r, seed: _s, ...rest } = parsed.data;
      configEcho = rest;
      evaluation = parsed.data.evaluation;
      const t0 = performance.now();
      const printer = progressPrinter(() => `[seed ${k + 1}/${seeds.length}]`);
      const { record, metrics } = await runToCompletion(ctx, parsed.data, printer.onEvent);
      printer.finish(record);
      runs.push({ seed, runId, wallSeconds: (performance.now() - t0) / 1000, metrics });
      if (values['delete-runs']) {
        const n = await ctx.store.deletePrefix(keys.runPrefix(runId));
        const d = ownPrefix ? await ctx.store.deletePrefix(ownPrefix) : 0;
        console.log(
          `[seed ${k + 1}/${seeds.length}] deleted run ${runId} (${n} artefacts)` +
            `${d ? ` and its simulated data (${d})` : ''}`,
        );
      }
    }
  } finally {
    await cluster.close();
    await ctx.close();
    await redis.stop();
  }
  const summary = summariseRuns(
    runs.map((r) => r.metrics),
    methods,
  );
  console.log(
    `\n${benchTable(summary)}\n(mean ± std over ${seeds.length} seed${seeds.length > 1 ? 's' : ''}; ` +
      "each seed's value is the mean over budgets)",
  );
  if (values.json) {
    const json: BenchJson = {
      tool: 'bidfcl bench',
      createdAt: new Date().toISOString(),
      versions: versions(),
      ...(scenario ? { scenario } : {}),
      ...(values.dataset ? { dataset: values.dataset } : {}),
      methods,
      seeds,
      // The runs' budgets as their config gave them: fractions, or money per user.
      ...(evaluation.budgetsPerUser
        ? { budgetsPerUser: evaluation.budgetsPerUser }
        : { budgets: evaluation.budgets ?? [] }),
      config: configEcho,
      runs,
      summary,
    };
    await writeFile(values.json, JSON.stringify(json, null, 2));
    console.log(`wrote ${values.json}`);
  }
  const needsObs = methods.filter((m) => METHOD_INFO[m].needsObs);
  if (needsObs.length && Object.values(summary).some((s) => s.skipped))
    console.log('some methods were skipped (see the table): the dataset lacks what they need');
  return 0;
}
