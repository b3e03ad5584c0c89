import { keys, type FeatureTable } from '@bidfcl/contracts';
import { FeatureEncodingError, scanShard, shardSummaryToJson } from '@bidfcl/core';
import { encodeScoreMatrix, loadWeights, readShardUsers } from '@bidfcl/io';
import { predictSavedModel } from '@bidfcl/learn';
import { PermanentJobError, sourceAccess, type JobHandler } from '@bidfcl/runtime';
import { loadRequest, piecesOf } from './request.js';

/**
 * allocate.scan.v1: reads one shard's users, encodes them with the version's stored encoding, scores them with
 * its model (zero-cost arms get ĉ = 0, as in a run's allocation), and writes the scores with their user ids and
 * the shard's λ summary to the staging prefix. Bad input (missing or non-numeric features) fails at once.
 */
export const scanPopulationShard: JobHandler<'allocate.scan.v1'> = async ({ allocationId, shard }, ctx) => {
  const { store, env } = ctx.runtime;
  const { request, version } = await loadRequest(store, allocationId);
  let users;
  try {
    const pieces = piecesOf(request, shard);
    users = await readShardUsers(pieces, request.userIdColumn, version.encoding, store, sourceAccess(env));
  } catch (err) {
    if (err instanceof FeatureEncodingError) throw new PermanentJobError(err.message);
    throw err;
  }
  const m = version.encoding.arms.length;
  // The network reads x only; arms and outcomes are unknown for a population and stay zero.
  const table: FeatureTable = {
    n: users.n,
    d: users.d,
    m,
    x: users.x,
    arm: new Int32Array(users.n),
    revenue: new Float64Array(users.n),
    cost: new Float64Array(users.n),
  };
  const scores = await predictSavedModel(
    await loadWeights(store, version.weights),
    version.encoding,
    table,
    env.tfBackend,
  );
  const { summary } = scanShard(scores);
  const scoresKey = keys.allocationShardScores(allocationId, shard);
  const arms = version.encoding.arms.map((a) => a.name);
  await store.put(scoresKey, encodeScoreMatrix(scores, { userId: users.userIds, arms }));
  const summaryKey = keys.allocationShardSummary(allocationId, shard);
  await store.putJson(summaryKey, shardSummaryToJson(summary));
  return { users: users.n, summaryKey, scoresKey };
};
