import type { RunConfig, RunMetrics, RunRecord } from '@bidfcl/contracts';
import { keys, runMetricsSchema } from '@bidfcl/contracts';
import { startRun, waitForRun, type RunEvent, type RuntimeContext } from '@bidfcl/runtime';
import { CliError } from './cli-error.js';

/** Starts a run and waits for it; returns its record and metrics, or throws with the failing stage's reason. */
export async function runToCompletion(
  ctx: RuntimeContext,
  config: RunConfig,
  onEvent?: (e: RunEvent) => void,
): Promise<{ record: RunRecord; metrics: RunMetrics }> {
  // Subscribe before enqueueing: waitForRun subscribes first, then reads run.json, so no event is missed.
  const { created } = await startRun(ctx, config);
  if (!created)
    onEvent?.({ type: 'stage', stage: 'run', status: 'succeeded', error: 'run exists already: reusing it' });
  const record = await waitForRun(ctx, config.runId, onEvent);
  if (record.status === 'failed')
    throw new CliError(`run ${config.runId} failed at ${record.error?.stage}: ${record.error?.message}`);
  if (record.status === 'cancelled') throw new CliError(`run ${config.runId} was ${record.error?.message}`);
  const metrics = runMetricsSchema.parse(await ctx.store.getJson(keys.reportMetrics(config.runId)));
  return { record, metrics };
}
