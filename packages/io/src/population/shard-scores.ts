import { keys, type ScoreMatrix } from '@bidfcl/contracts';
import { decodeShardHulls, type ShardHulls } from '@bidfcl/core';
import { scoreMatrixOf } from '../features/score-matrix.js';
import type { ArtefactStore } from '../store/artefact-store.js';
import { readParquet } from '../table/parquet.js';

/** A shard's staged scores, user ids and hulls, as allocate.scan wrote them (the Parquet file parsed once). */
export async function readShardScores(
  store: ArtefactStore,
  allocationId: string,
  shard: number,
  m: number,
): Promise<{ scores: ScoreMatrix; userIds: string[]; hulls: ShardHulls }> {
  const key = keys.allocationShardScores(allocationId, shard);
  const what = store.describe(key);
  const table = readParquet(await store.get(key), what);
  const ids = table.columns.get('user_id');
  if (ids?.kind !== 'string') throw new Error(`${what}: no user_id column`);
  const hullsKey = keys.allocationShardHulls(allocationId, shard);
  const hulls = decodeShardHulls(await store.get(hullsKey), store.describe(hullsKey));
  const scores = scoreMatrixOf(table, m, what);
  if (hulls.n !== scores.n || hulls.m !== m) throw new Error(`${what}: its hulls are ${hulls.n}×${hulls.m}`);
  return { scores, userIds: ids.values, hulls };
}
