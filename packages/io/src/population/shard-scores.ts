import { keys, type ScoreMatrix } from '@bidfcl/contracts';
import { decodeScoreMatrix } from '../features/score-matrix.js';
import type { ArtefactStore } from '../store/artefact-store.js';
import { readParquet } from '../table/parquet.js';

/** A shard's staged scores and user ids, as allocate.scan wrote them. */
export async function readShardScores(
  store: ArtefactStore,
  allocationId: string,
  shard: number,
  m: number,
): Promise<{ scores: ScoreMatrix; userIds: string[] }> {
  const key = keys.allocationShardScores(allocationId, shard);
  const bytes = await store.get(key);
  const what = store.describe(key);
  const ids = readParquet(bytes, what).columns.get('user_id');
  if (ids?.kind !== 'string') throw new Error(`${what}: no user_id column`);
  return { scores: decodeScoreMatrix(bytes, m, what), userIds: ids.values };
}
