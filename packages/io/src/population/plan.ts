import type { ModelVersion, PopulationRequest, UserSlicePiece } from '@bidfcl/contracts';
import { encodeRawFeatures, FeatureEncodingError } from '@bidfcl/core';
import type { ArtefactStore } from '../store/artefact-store.js';
import type { SourceAccess } from '../source/source-access.js';
import { readUsersTable, usersTableIds } from './users.js';

/** What the users tables hold once checked, and how they are split into shards. */
export interface AllocationPlan {
  users: number;
  shards: UserSlicePiece[][];
}

/** Users per shard when no shard count is given: a shard's scores and hulls are what one job holds. */
export const USERS_PER_SHARD = 500000;

/**
 * Reads every users table once, before anything is enqueued, and throws a {@link FeatureEncodingError} naming
 * the file, column or row for bad input: a missing user id or feature column, a non-numeric feature, a duplicate
 * user id, no users at all (a missing file throws io's NotFoundError). Then splits the rows [0, users) into
 * `shards` near-equal ranges (default one per USERS_PER_SHARD users), each a list of file slices.
 * Memory: one table at a time, plus the set of user ids (to find duplicates across files).
 */
export async function planAllocation(
  sources: readonly string[],
  version: ModelVersion,
  userIdColumn: string,
  shards: number | undefined,
  store: ArtefactStore,
  access: SourceAccess,
): Promise<AllocationPlan> {
  const seen = new Map<string, string>();
  const rows: number[] = [];
  for (const source of sources) {
    const t = await readUsersTable(source, store, access);
    const n = t.table.numRows;
    const ids = usersTableIds(t, userIdColumn, 0, n);
    encodeRawFeatures(t.table.columns, version.encoding, 0, n, t.what);
    ids.forEach((id, i) => {
      const first = seen.get(id);
      if (first !== undefined)
        throw new FeatureEncodingError(`duplicate user id '${id}' at ${t.what} row ${i + 1} (first at ${first})`);
      seen.set(id, `${t.what} row ${i + 1}`);
    });
    rows.push(n);
  }
  const users = rows.reduce((a, b) => a + b, 0);
  if (users === 0) throw new FeatureEncodingError(`the users table is empty (${sources.join(', ')})`);
  const s = Math.min(shards ?? Math.ceil(users / USERS_PER_SHARD), users);
  return { users, shards: splitRows(sources, rows, s) };
}

/** Rows [0, Σ rows) in `shards` consecutive near-equal ranges, each as slices of the files it spans. */
export function splitRows(sources: readonly string[], rows: number[], shards: number): PopulationRequest['shards'] {
  const total = rows.reduce((a, b) => a + b, 0);
  const out: UserSlicePiece[][] = [];
  let file = 0;
  let offset = 0; // row within `file`
  for (let s = 0; s < shards; s++) {
    let want = Math.floor(((s + 1) * total) / shards) - Math.floor((s * total) / shards);
    const pieces: UserSlicePiece[] = [];
    while (want > 0) {
      const take = Math.min(want, rows[file]! - offset);
      if (take > 0) pieces.push({ source: sources[file]!, start: offset, end: offset + take });
      offset += take;
      want -= take;
      if (offset === rows[file]) [file, offset] = [file + 1, 0];
    }
    out.push(pieces);
  }
  return out;
}
