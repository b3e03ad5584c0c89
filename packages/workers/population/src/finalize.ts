import { keys, populationThresholdSchema, type PopulationSummary } from '@bidfcl/contracts';
import { decisionsSha256, readDecisionsPart } from '@bidfcl/io';
import { publishCurrentAllocation, recordRunAllocation, type JobHandler } from '@bidfcl/runtime';
import { loadRequest } from './request.js';

/**
 * allocate.finalize.v1: copies every staged decisions part under allocations/<id>/decisions/, then writes
 * summary.json last: a reader that finds the summary finds every part complete.
 */
export const finalizePopulation: JobHandler<'allocate.finalize.v1'> = async ({ allocationId }, ctx) => {
  const { store } = ctx.runtime;
  const { request, version } = await loadRequest(store, allocationId);
  const t = populationThresholdSchema.parse(await store.getJson(keys.allocationThreshold(allocationId)));
  const arms = version.encoding.arms.map((a) => a.name);
  const counts = new Array<number>(arms.length).fill(0);
  const ids: string[] = [];
  const armOf: number[] = [];
  let revenue = 0;
  let uplift = 0;
  const decisions: string[] = [];
  for (let s = 0; s < request.shards.length; s++) {
    const staged = keys.allocationStagedDecisions(allocationId, s);
    const bytes = await store.get(staged);
    const what = store.describe(staged);
    const part = readDecisionsPart(bytes, what);
    part.userIds.forEach((id, i) => {
      const arm = part.armIndex[i]!;
      counts[arm]! += 1;
      revenue += part.predictedRevenue[i]!;
      uplift += part.predictedUpliftRevenue[i]!;
      ids.push(id);
      armOf.push(arm);
    });
    const key = keys.allocationDecisions(allocationId, s);
    await store.put(key, bytes);
    decisions.push(key);
  }
  const users = ids.length;
  const finished = new Date();
  const summary: PopulationSummary = {
    allocationId,
    model: request.model,
    version: request.version,
    users,
    shards: request.shards.length,
    lambda: t.lambda,
    budget: request.budget,
    predictedSpend: t.cost,
    predictedRevenue: revenue,
    predictedIncrementalRevenue: uplift,
    armMix: arms.map((arm, j) => ({ arm, users: counts[j]!, share: counts[j]! / Math.max(1, users) })),
    decisions,
    sha256: decisionsSha256(ids, armOf),
    timings: {
      requestedAt: request.requestedAt,
      finishedAt: finished.toISOString(),
      seconds: (finished.getTime() - Date.parse(request.requestedAt)) / 1000,
    },
  };
  await store.putJson(keys.allocationSummary(allocationId), summary);
  await publishCurrentAllocation(store, summary); // the decisions service switches to it (README, Serving)
  // A run's allocation (id = run id): the run ends now, with summary.json there.
  await recordRunAllocation(ctx.runtime, allocationId, { status: 'succeeded', summary });
  return summary;
};
