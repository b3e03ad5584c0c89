import { CliError } from './cli-error.js';

/** Commands load lazily: `bidfcl run` should not pay for TensorFlow.js and every worker. */
interface Command {
  summary: string;
  load(): Promise<(argv: string[]) => Promise<number>>;
}

const COMMANDS: Record<string, Command> = {
  demo: {
    summary:
      'bidfcl demo                 simulate marketing-8 and run tsm-rct, tsm-obs, oracle, random through the queues',
    load: async () => (await import('./commands/demo.js')).demoCommand,
  },
  simulate: {
    summary: "bidfcl simulate …           draw the ground-truth simulator's splits as Parquet + dataset.yaml",
    load: async () => (await import('./commands/simulate.js')).simulateCommand,
  },
  run: {
    summary: 'bidfcl run --config … [--wait]   validate and enqueue a run',
    load: async () => (await import('./commands/run.js')).runCommand,
  },
  worker: {
    summary: 'bidfcl worker <role>        run one worker role',
    load: async () => (await import('./commands/worker.js')).workerCommand,
  },
  status: {
    summary: "bidfcl status [runId]       runs, or one run's stages",
    load: async () => (await import('./commands/status.js')).statusCommand,
  },
  runs: {
    summary: 'bidfcl runs list|retry|cancel|delete|prune|compare   run management and retention',
    load: async () => (await import('./commands/runs.js')).runsCommand,
  },
  datasets: {
    summary: 'bidfcl datasets upload <name> <dataset.yaml>   a local dataset into the store, for cluster workers',
    load: async () => (await import('./commands/datasets.js')).datasetsCommand,
  },
  schedule: {
    summary: 'bidfcl schedule add|list|remove   nightly retraining',
    load: async () => (await import('./commands/schedule.js')).scheduleCommand,
  },
  bench: {
    summary: 'bidfcl bench …              compare methods over seeds on simulated or real data',
    load: async () => (await import('./commands/bench.js')).benchCommand,
  },
  'bench-allocate': {
    summary:
      'bidfcl bench-allocate …     speed and memory of the exact λ* solve on synthetic scores (numbers, not a test)',
    load: async () => (await import('./commands/bench-allocate.js')).benchAllocateCommand,
  },
  'bench-merge': {
    summary: 'bidfcl bench-merge a.json b.json …   one table from benches of other seeds or methods',
    load: async () => (await import('./commands/bench-merge.js')).benchMergeCommand,
  },
  report: {
    summary:
      "bidfcl report <runId> [--render] [--open]   where a run's report is; --render redraws it from metrics.json",
    load: async () => (await import('./commands/report.js')).reportCommand,
  },
  models: {
    summary: 'bidfcl models promote|list|show|rollback   the model registry: named, versioned trained models',
    load: async () => (await import('./commands/models.js')).modelsCommand,
  },
  allocate: {
    summary: 'bidfcl allocate --model … --users … --budget …   one arm per user for a population, within a budget',
    load: async () => (await import('./commands/allocate.js')).allocateCommand,
  },
  allocations: {
    summary: 'bidfcl allocations list|show <id>   population allocations and their summary.json',
    load: async () => (await import('./commands/allocations.js')).allocationsCommand,
  },
  serve: {
    summary: 'bidfcl serve [--host] [--port]   the HTTP decisions service with intraday budget pacing',
    load: async () => (await import('./commands/serve.js')).serveCommand,
  },
  dashboard: {
    summary: 'bidfcl dashboard [--host] [--port]   web pages of runs, models, allocations, and Bull Board',
    load: async () => (await import('./commands/dashboard.js')).dashboardCommand,
  },
  'simulate-day': {
    summary: 'bidfcl simulate-day --scenario … --model … --budget …   a day of arrivals against a running service',
    load: async () => (await import('./commands/simulate-day.js')).simulateDayCommand,
  },
  metrics: {
    summary: 'bidfcl metrics --input … --metric …   qini/auuc/uplift-at-k/aucc/eom of a scored table, no training',
    load: async () => (await import('./commands/metrics.js')).metricsCommand,
  },
};

export const USAGE = `bidfcl — budget-constrained marketing allocation with Bi-DFCL

Usage: bidfcl <command> [options]   (bidfcl <command> --help for details)

${Object.values(COMMANDS)
  .map((c) => `  ${c.summary}`)
  .join('\n')}

Environment: REDIS_URL (redis:// or rediss://), BIDFCL_REDIS_CA_FILE, BIDFCL_QUEUE_PREFIX, BIDFCL_STORE (dir or
s3://bucket/prefix), BIDFCL_S3_ENDPOINT, BIDFCL_S3_REGION, BIDFCL_S3_ACCESS_KEY_ID, BIDFCL_S3_SECRET_ACCESS_KEY
(unset: the AWS default credential chain), BIDFCL_LOCAL_ROOTS, BIDFCL_MAX_INPUT_BYTES, BIDFCL_MAX_PAYLOAD_BYTES,
BIDFCL_TF_BACKEND (wasm|cpu).`;

/** Runs one CLI command; resolves with the exit status (2 = usage or config error). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return await (
      await command.load()
    )(rest);
  } catch (err) {
    if (err instanceof CliError) {
      console.error(`bidfcl ${name}: ${err.message}`);
      return err.exitCode;
    }
    throw err;
  }
}
