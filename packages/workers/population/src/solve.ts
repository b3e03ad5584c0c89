import { keys, type PopulationThreshold } from '@bidfcl/contracts';
import {
  budgetRefusal,
  coarseRound,
  fineRound,
  listBinBreakpoints,
  mergeSummaries,
  shardSummaryFromJson,
  type ShardSummaryJson,
} from '@bidfcl/core';
import { readShardScores } from '@bidfcl/io';
import { PermanentJobError, assignFlow, type JobHandler } from '@bidfcl/runtime';
import { loadRequest } from './request.js';

/**
 * allocate.solve.v1: merges the shards' summaries, finds λ*'s bin (coarse round), lists each shard's breakpoints
 * in that bin from its staged scores, one shard in memory at a time (fine round), writes threshold.json and
 * enqueues the assignment flow. A budget the population cannot be held to, or one that does not bind, stops here.
 */
export const solvePopulation: JobHandler<'allocate.solve.v1'> = async ({ allocationId }, ctx) => {
  const { store } = ctx.runtime;
  const t0 = Date.now();
  const { request, version } = await loadRequest(store, allocationId);
  const S = request.shards.length;
  const m = version.encoding.arms.length;
  const parts = await Promise.all(
    request.shards.map(async (_, s) =>
      shardSummaryFromJson(await store.getJson<ShardSummaryJson>(keys.allocationShardSummary(allocationId, s))),
    ),
  );
  const merged = mergeSummaries(parts);
  const coarse = coarseRound(merged, request.budget);

  if (coarse.kind === 'done') throw new PermanentJobError(budgetRefusal(coarse.threshold, merged.users));
  const lists = [];
  for (let s = 0; s < S; s++) {
    // The kept hulls and tie keys: no hull computed again, no user id read (docs/method.md §7).
    const { scores, tieKeys, hulls } = await readShardScores(store, allocationId, s, m);
    lists.push(listBinBreakpoints(scores, { hulls, summary: parts[s]! }, tieKeys, coarse.bin));
  }
  const threshold = fineRound(coarse, lists);
  const out: PopulationThreshold = {
    lambda: threshold.lambda,
    tieKey: threshold.tieKey,
    quota: threshold.quota,
    budget: threshold.budget,
    cost: threshold.cost,
    baseCost: threshold.baseCost,
    topCost: threshold.topCost,
    maxUpgradeCost: merged.maxUpgradeCost,
    baseRevenue: merged.baseRevenue,
    solveSeconds: (Date.now() - t0) / 1000,
  };
  const thresholdKey = keys.allocationThreshold(allocationId);
  await store.putJson(thresholdKey, out);
  await ctx.runtime.queues.addFlow(assignFlow(allocationId, S));
  return { thresholdKey, lambda: threshold.lambda };
};
