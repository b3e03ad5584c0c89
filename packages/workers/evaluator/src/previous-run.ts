import { keys, runMetricsSchema, type RunMetrics } from '@bidfcl/contracts';
import type { ArtefactStore } from '@bidfcl/io';
import { earlierScheduledRuns, scheduledRunParts } from '@bidfcl/runtime';

/** Earlier firings looked at: a failed firing has no metrics, the one before it usually does. */
const MAX_LOOKBACK = 5;

/**
 * The means per method of the latest earlier firing of `runId`'s schedule that has metrics.json, for the report
 * to show this run beside it; undefined for a run no schedule started, or when no earlier firing has metrics.
 */
export async function previousScheduledRun(
  store: ArtefactStore,
  runId: string,
): Promise<RunMetrics['previousRun'] | undefined> {
  // Listing the runs costs a request per 1000 runs: only a scheduled run pays it.
  if (!scheduledRunParts(runId)) return undefined;
  const earlier = earlierScheduledRuns(runId, await store.listDirs(keys.runsPrefix()));
  for (const id of earlier.slice(0, MAX_LOOKBACK)) {
    const key = keys.reportMetrics(id);
    if (!(await store.exists(key))) continue;
    const parsed = runMetricsSchema.safeParse(await store.getJson(key));
    if (!parsed.success) continue;
    const methods = parsed.data.methods.filter((m) => m.skipped === undefined);
    return {
      runId: id,
      createdAt: parsed.data.createdAt,
      methods: methods.map(({ method, mean }) => ({ method, mean })),
    };
  }
  return undefined;
}
