import { METHOD_INFO, keys, trainingSummarySchema, type AllocationSummary, type ScoreMatrix } from '@bidfcl/contracts';
import {
  allocateBudget,
  arm0CostPerUser,
  budgetLevelsOf,
  deriveSeed,
  randomCostPerUser,
  randomMixingProbability,
  sampleRandomPolicy,
  truthOf,
  userIdsOf,
} from '@bidfcl/core';
import { encodeScoreMatrix, loadFeatureSplit, loadManifest, writeParquet } from '@bidfcl/io';
import { readRunConfig, type JobHandler } from '@bidfcl/runtime';
import { scoreTable } from './scores.js';

const shares = (assignment: Int32Array, m: number) => {
  const counts = new Array<number>(m).fill(0);
  for (const a of assignment) counts[a]! += 1;
  return counts.map((c) => c / Math.max(1, assignment.length));
};

/**
 * allocate.method.v1: scores the test users, finds λ* per budget on predicted costs, writes one arm per user.
 * Scores and allocation parts name their users (user_id) and arms (scores: metadata; parts: arm_name_b<b>).
 */
export const allocateMethod: JobHandler<'allocate.method.v1'> = async ({ runId, method }, ctx) => {
  const { store, env } = ctx.runtime;
  const config = await readRunConfig(ctx.runtime, runId);
  const manifest = await loadManifest(store, runId);
  const lambdaKey = keys.allocationLambda(runId, method);
  const test = await loadFeatureSplit(store, manifest, 'test');
  const m = manifest.arms.length;
  const randomCost = randomCostPerUser(test, manifest.propensities);
  const levels = budgetLevelsOf(config.evaluation, randomCost);

  const skip = async (reason: string) => {
    const summary: AllocationSummary = { method, skipped: reason, randomCost, budgets: [] };
    await store.putJson(lambdaKey, summary);
    return { method, lambdaKey, parts: [], skipped: reason };
  };
  let hasLastEpochModel = false;
  if (METHOD_INFO[method].trained) {
    const training = trainingSummarySchema.parse(await store.getJson(keys.modelSummary(runId, method)));
    if (training.skipped) return skip(training.skipped);
    hasLastEpochModel = training.hasLastEpochModel ?? false;
  }
  if (method === 'oracle' && !truthOf(test)) return skip('oracle needs simulated data with true r_ij, c_ij');

  const userId = userIdsOf(test, 'test');
  const armNames = manifest.arms.map((a) => a.name);
  let scores: ScoreMatrix | undefined;
  if (method !== 'random') {
    scores = await scoreTable(store, runId, method, manifest, test, env.tfBackend);
    await store.put(keys.scores(runId, method, 'test', 0), encodeScoreMatrix(scores, { userId, arms: armNames }));
    if (hasLastEpochModel) {
      const last = await scoreTable(
        store,
        runId,
        method,
        manifest,
        test,
        env.tfBackend,
        keys.lastEpochModel(runId, method),
      );
      await store.put(keys.lastEpochScores(runId, method), encodeScoreMatrix(last, { userId, arms: armNames }));
    }
  }
  const columns: Record<string, Int32Array | string[]> = { user_id: userId };
  const budgets: AllocationSummary['budgets'] = [];
  levels.forEach(({ budget: budgetPerUser, fraction }, b) => {
    let assignment: Int32Array;
    let lambda: number | null = null;
    let predictedCostPerUser: number | null = null;
    if (scores) {
      const a = allocateBudget(scores, budgetPerUser);
      assignment = a.assignment;
      lambda = a.lambda;
      predictedCostPerUser = a.cost;
    } else {
      // core's q for the random reference on the costs budgets are measured in: on average it spends the budget.
      const q = randomMixingProbability(budgetPerUser, randomCost, arm0CostPerUser(test, manifest.propensities));
      assignment = sampleRandomPolicy(test.n, m, q, deriveSeed(config.seed, 'random-allocation', b));
    }
    // The index column stays as it was (readers depend on it); the name beside it needs no arm list to read.
    columns[`arm_b${b}`] = assignment;
    columns[`arm_name_b${b}`] = Array.from(assignment, (j) => armNames[j]!);
    budgets.push({ fraction, budgetPerUser, lambda, predictedCostPerUser, armShares: shares(assignment, m) });
  });
  const partKey = keys.allocationPart(runId, method, 0);
  await store.put(partKey, writeParquet(columns));
  const summary: AllocationSummary = { method, randomCost, budgets };
  await store.putJson(lambdaKey, summary);
  return { method, lambdaKey, parts: [partKey] };
};
