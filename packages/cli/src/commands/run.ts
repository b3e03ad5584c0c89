import { ConfigurationError, startRun } from '@bidfcl/runtime';
import { parse, printed, parseSets } from '../args.js';
import { usageError } from '../cli-error.js';
import { loadRunConfigFile } from '../config-file.js';
import { connect } from '../context.js';
import { waitAndReport } from './run-wait.js';

export const runHelp = `bidfcl run --config <run.yaml> [--set key=value …] [--wait]
  Validates the config (exit 2 on any problem, before anything is enqueued) and enqueues the run's flow.
  With --wait: shows each stage and training progress (with an ETA), exits 1 if the run fails (printing why), 0
  when it succeeds, after the method × budget table of its metrics.
  Enqueueing a run id that exists already is a no-op, unless the run failed, was cancelled, or Redis lost its jobs
  (flushed, or restarted without persistence): then it is resumed from what the store holds (as bidfcl runs retry).`;

export async function runCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    config: { type: 'string' },
    set: { type: 'string', multiple: true },
    wait: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (values.help) return printed(runHelp);
  if (!values.config) {
    console.error(runHelp);
    return 2;
  }
  const config = await loadRunConfigFile(values.config, parseSets(values.set));
  const ctx = await connect();
  try {
    const { runId, created, resumed } = await startRun(ctx, config).catch((err: unknown) => {
      throw err instanceof ConfigurationError ? usageError(`${values.config}: ${err.message}`) : err;
    });
    console.log(
      created
        ? `enqueued run ${runId} (${config.methods.join(', ')})`
        : resumed
          ? `run ${runId} had failed, been cancelled or lost its jobs: resumed from the store (its recorded config)`
          : `run ${runId} exists already: nothing enqueued`,
    );
    return values.wait ? await waitAndReport(ctx, runId) : 0;
  } finally {
    await ctx.close();
  }
}
