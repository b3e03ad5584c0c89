import { keys, populationThresholdSchema } from '@bidfcl/contracts';
import { assignShard, predictedOutcomes } from '@bidfcl/core';
import { digestPart, readShardScores, readShardUserIds, writeParquet } from '@bidfcl/io';
import type { JobHandler } from '@bidfcl/runtime';
import { loadRequest } from './request.js';

/**
 * allocate.assign.v1: one shard's decisions at the solved threshold, staged (finalize publishes them):
 * user_id, arm, arm_index, the predictions at that arm and their uplift against arm 0, with the model version,
 * λ*, budget and allocation id in the file's key-value metadata.
 */
export const assignPopulationShard: JobHandler<'allocate.assign.v1'> = async ({ allocationId, shard }, ctx) => {
  const { store } = ctx.runtime;
  const { request, version } = await loadRequest(store, allocationId);
  const t = populationThresholdSchema.parse(await store.getJson(keys.allocationThreshold(allocationId)));
  const arms = version.encoding.arms.map((a) => a.name);
  const { scores, tieKeys, hulls } = await readShardScores(store, allocationId, shard, arms.length);
  const userIds = await readShardUserIds(store, allocationId, shard);
  const assignment = assignShard(scores, hulls, tieKeys, t);
  const p = predictedOutcomes(scores, assignment);
  const stagedKey = keys.allocationStagedDecisions(allocationId, shard);
  const columns = {
    user_id: userIds,
    arm: Array.from(assignment, (j) => arms[j]!),
    arm_index: assignment,
    predicted_revenue: p.revenue,
    predicted_cost: p.cost,
    predicted_uplift_revenue: p.upliftRevenue,
    predicted_uplift_cost: p.upliftCost,
  };
  const metadata = {
    'bidfcl.model': `${request.model}@${request.version}`,
    'bidfcl.lambda': String(t.lambda),
    'bidfcl.budget': String(request.budget),
    'bidfcl.allocation': allocationId,
  };
  await store.put(stagedKey, writeParquet(columns, { metadata }));
  await store.put(keys.allocationStagedDigest(allocationId, shard), digestPart(userIds, assignment));
  return { users: scores.n, stagedKey };
};
