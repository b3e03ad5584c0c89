import { keys, populationThresholdSchema, type PopulationSummary } from '@bidfcl/contracts';
import { publishDecisions, type ArtefactStore } from '@bidfcl/io';
import { publishCurrentAllocation, recordRunAllocation, type JobHandler } from '@bidfcl/runtime';
import { loadRequest } from './request.js';

/**
 * allocate.finalize.v1: publishes every staged decisions part under allocations/<id>/decisions/, then writes
 * summary.json last (a reader that finds the summary finds every part complete), then deletes the staging prefix.
 */
export const finalizePopulation: JobHandler<'allocate.finalize.v1'> = async ({ allocationId }, ctx) => {
  const { store } = ctx.runtime;
  const summaryKey = keys.allocationSummary(allocationId);
  // A retry after summary.json was written (the staging prefix may be gone already): finish the cleanup only.
  const done = (await store.exists(summaryKey)) ? await store.getJson<PopulationSummary>(summaryKey) : undefined;
  const summary = done ?? (await publish(store, allocationId));
  await publishCurrentAllocation(store, summary); // the decisions service switches to it (README, Serving)
  // A run's allocation (id = run id): the run ends now, with summary.json there.
  await recordRunAllocation(ctx.runtime, allocationId, { status: 'succeeded', summary });
  await store.deletePrefix(keys.allocationStagingPrefix(allocationId));
  return summary;
};

async function publish(store: ArtefactStore, allocationId: string): Promise<PopulationSummary> {
  const { request, version } = await loadRequest(store, allocationId);
  const t = populationThresholdSchema.parse(await store.getJson(keys.allocationThreshold(allocationId)));
  const arms = version.encoding.arms.map((a) => a.name);
  const p = await publishDecisions(store, allocationId, request.shards.length, arms.length);
  const finished = new Date();
  const summary: PopulationSummary = {
    allocationId,
    model: request.model,
    version: request.version,
    users: p.users,
    shards: request.shards.length,
    lambda: t.lambda,
    budget: request.budget,
    predictedSpend: t.cost,
    maxUpgradeCost: t.maxUpgradeCost,
    predictedRevenue: p.revenue,
    predictedIncrementalRevenue: p.uplift,
    armMix: arms.map((arm, j) => ({ arm, users: p.counts[j]!, share: p.counts[j]! / Math.max(1, p.users) })),
    decisions: p.decisions,
    sha256: p.sha256,
    timings: {
      requestedAt: request.requestedAt,
      finishedAt: finished.toISOString(),
      seconds: (finished.getTime() - Date.parse(request.requestedAt)) / 1000,
    },
  };
  await store.putJson(keys.allocationSummary(allocationId), summary);
  return summary;
}
