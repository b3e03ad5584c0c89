import { keys, runMetricsSchema } from '@bidfcl/contracts';
import { ConfigurationError, RunLostError, startRun, waitForRun } from '@bidfcl/runtime';
import { parse, printed, parseSets } from '../args.js';
import { CliError, usageError } from '../cli-error.js';
import { loadRunConfigFile } from '../config-file.js';
import { connect } from '../context.js';
import { metricsTable } from '../metrics-table.js';
import { runEventPrinter } from '../run-event-printer.js';

export const runHelp = `bidfcl run --config <run.yaml> [--set key=value …] [--wait]
  Validates the config (exit 2 on any problem, before anything is enqueued) and enqueues the run's flow.
  With --wait: shows each stage and training progress (with an ETA), exits 1 if the run fails (printing why), 0
  when it succeeds, after the method × budget table of its metrics.
  Enqueueing a run id that exists already is a no-op, unless the run failed or Redis lost its jobs (flushed, or
  restarted without persistence): then it is resumed from what the store holds.`;

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
          ? `run ${runId} had failed or lost its jobs: resumed from the store (its recorded config)`
          : `run ${runId} exists already: nothing enqueued`,
    );
    if (!values.wait) return 0;
    const record = await waitForRun(ctx, runId, runEventPrinter(console.log)).catch((err: unknown) => {
      throw err instanceof RunLostError ? new CliError(err.message) : err;
    });
    if (record.status === 'failed') {
      console.error(`run ${runId} failed at ${record.error?.stage}: ${record.error?.message}`);
      return 1;
    }
    // The same method × budget table as the demo's, so a run's outcome is visible without opening the report.
    const metrics = runMetricsSchema.safeParse(await ctx.store.getJson(keys.reportMetrics(runId)).catch(() => null));
    if (metrics.success) console.log(`\n${metricsTable(metrics.data)}\n`);
    console.log(`run ${runId} succeeded; report: ${ctx.store.describe(keys.reportHtml(runId))}`);
    return 0;
  } finally {
    await ctx.close();
  }
}
