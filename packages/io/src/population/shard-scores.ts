import { keys, type ScoreMatrix } from '@bidfcl/contracts';
import { decodeShardHulls, type ShardHulls } from '@bidfcl/core';
import type { ArtefactStore } from '../store/artefact-store.js';
import { readParquet, writeParquet } from '../table/parquet.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HEADER = 8; // n and m as little-endian uint32

/**
 * A shard's staged scores as bytes, for its solve and assign steps only: n, m, then the tie keys (n doubles) and
 * r̂, ĉ (n·m doubles each, row-major), little-endian. Raw doubles, not Parquet: those steps read them back with one
 * copy instead of a Parquet decode, a transposition and the user ids as strings (issue 9 §4).
 */
export function encodeShardScores(scores: ScoreMatrix, tieKeys: Float64Array): Uint8Array {
  if (!LITTLE_ENDIAN) throw new Error('encodeShardScores: a little-endian host is required');
  const { n, m } = scores;
  if (tieKeys.length !== n) throw new Error(`encodeShardScores: ${tieKeys.length} tie keys for ${n} users`);
  const out = new Uint8Array(HEADER + 8 * (n + 2 * n * m));
  const view = new DataView(out.buffer);
  view.setUint32(0, n, true);
  view.setUint32(4, m, true);
  const put = (a: Float64Array, at: number) => out.set(new Uint8Array(a.buffer, a.byteOffset, 8 * a.length), at);
  put(tieKeys, HEADER);
  put(Float64Array.from(scores.r), HEADER + 8 * n);
  put(Float64Array.from(scores.c), HEADER + 8 * (n + n * m));
  return out;
}

/** The inverse of {@link encodeShardScores}; `what` names the bytes in errors. */
export function decodeShardScores(bytes: Uint8Array, what: string): { scores: ScoreMatrix; tieKeys: Float64Array } {
  if (!LITTLE_ENDIAN) throw new Error('decodeShardScores: a little-endian host is required');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.byteLength >= HEADER ? view.getUint32(0, true) : -1;
  const m = bytes.byteLength >= HEADER ? view.getUint32(4, true) : -1;
  if (!(n >= 0 && m >= 1 && bytes.byteLength === HEADER + 8 * (n + 2 * n * m)))
    throw new Error(`${what}: not a shard's staged scores (${bytes.byteLength} bytes)`);
  // A view when the doubles are aligned (a file read into its own buffer), else one copy.
  const at = bytes.byteOffset + HEADER;
  const count = n + 2 * n * m;
  const doubles =
    at % 8 === 0 ? new Float64Array(bytes.buffer, at, count) : new Float64Array(bytes.buffer.slice(at, at + 8 * count));
  const tieKeys = doubles.subarray(0, n);
  const r = doubles.subarray(n, n + n * m);
  const c = doubles.subarray(n + n * m);
  return { scores: { n, m, r, c }, tieKeys };
}

/** A shard's staged scores, tie keys and hulls, as allocate.scan wrote them. */
export async function readShardScores(
  store: ArtefactStore,
  allocationId: string,
  shard: number,
  m: number,
): Promise<{ scores: ScoreMatrix; tieKeys: Float64Array; hulls: ShardHulls }> {
  const key = keys.allocationShardScores(allocationId, shard);
  const what = store.describe(key);
  const { scores, tieKeys } = decodeShardScores(await store.get(key), what);
  const hullsKey = keys.allocationShardHulls(allocationId, shard);
  const hulls = decodeShardHulls(await store.get(hullsKey), store.describe(hullsKey));
  if (scores.m !== m || hulls.n !== scores.n || hulls.m !== m)
    throw new Error(`${what}: ${scores.n}×${scores.m} scores, ${hulls.n}×${hulls.m} hulls, ${m} arms expected`);
  return { scores, tieKeys, hulls };
}

/** A shard's user ids as a one-column Parquet file (the assign step writes them into the decisions). */
export const encodeShardUserIds = (userIds: string[]): Uint8Array => writeParquet({ user_id: userIds });

/** The user ids allocate.scan staged for a shard. */
export async function readShardUserIds(store: ArtefactStore, allocationId: string, shard: number): Promise<string[]> {
  const key = keys.allocationShardUserIds(allocationId, shard);
  const what = store.describe(key);
  const ids = readParquet(await store.get(key), what).columns.get('user_id');
  if (ids?.kind !== 'string') throw new Error(`${what}: no user_id column`);
  return ids.values;
}
