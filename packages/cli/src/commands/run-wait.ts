import { keys, runMetricsSchema } from '@bidfcl/contracts';
import { RunLostError, waitForRun, type RuntimeContext } from '@bidfcl/runtime';
import { CliError } from '../cli-error.js';
import { metricsTable } from '../run-metrics-table.js';
import { runEventPrinter } from '../run-event-printer.js';
import { watchUnservedRoles } from '../unserved-watch.js';

/**
 * `--wait` of `run` and `runs retry`: prints each stage and training progress until the run ends; exit status 1
 * when it failed or was cancelled (saying why), 0 when it succeeded, after the method × budget table.
 */
export async function waitAndReport(ctx: RuntimeContext, runId: string): Promise<number> {
  // Says once per role when the run's work waits on a role that no worker serves (it would otherwise sit silent).
  const stopWatching = watchUnservedRoles(ctx, runId, (line) => console.log(line));
  const record = await waitForRun(ctx, runId, runEventPrinter(console.log))
    .catch((err: unknown) => {
      throw err instanceof RunLostError ? new CliError(err.message) : err;
    })
    .finally(stopWatching);
  if (record.status === 'cancelled') {
    console.error(`run ${runId} was ${record.error?.message}; bidfcl runs retry ${runId} resumes it`);
    return 1;
  }
  if (record.status === 'failed') {
    console.error(`run ${runId} failed at ${record.error?.stage}: ${record.error?.message}`);
    return 1;
  }
  // The same method × budget table as the demo's, so a run's outcome is visible without opening the report.
  const metrics = runMetricsSchema.safeParse(await ctx.store.getJson(keys.reportMetrics(runId)).catch(() => null));
  if (metrics.success) console.log(`\n${metricsTable(metrics.data)}\n`);
  console.log(`run ${runId} succeeded; report: ${ctx.store.describe(keys.reportHtml(runId))}`);
  return 0;
}
