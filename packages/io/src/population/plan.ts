import type { ModelVersion, PopulationRequest, UserSlicePiece } from '@bidfcl/contracts';
import { encodeRawFeatures, FeatureEncodingError, UserIdSet } from '@bidfcl/core';
import type { ArtefactStore } from '../store/artefact-store.js';
import type { SourceAccess } from '../source/source-access.js';
import { readUsersRows, usersTableIds } from './users.js';
import { forEachUsersChunk } from './users-rows.js';

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
 * user id (naming both rows), no users at all (a missing file throws io's NotFoundError). Then splits the rows
 * [0, users) into `shards` near-equal ranges (default one per USERS_PER_SHARD users), each a list of file slices.
 * Memory: one Parquet row group (or one CSV file) at a time, plus a {@link UserIdSet} of hashed ids (~12–24 bytes
 * per user); an id whose hash was seen before is compared with the earlier row's id, re-read if need be.
 */
export async function planAllocation(
  sources: readonly string[],
  version: ModelVersion,
  userIdColumn: string,
  shards: number | undefined,
  store: ArtefactStore,
  access: SourceAccess,
): Promise<AllocationPlan> {
  const seen = new UserIdSet();
  const rows: number[] = [];
  const fileOf = (row: number) => {
    let f = 0;
    for (let at = 0; f < rows.length && row >= at + rows[f]!; f++) at += rows[f]!;
    return { f, fileRow: row - rows.slice(0, f).reduce((a, b) => a + b, 0) };
  };
  let total = 0; // rows of the files before this one
  for (const source of sources) {
    let n = 0;
    await forEachUsersChunk(source, store, access, async (t) => {
      const first = t.firstRow ?? 0;
      const ids = usersTableIds(t, userIdColumn, first, first + t.table.numRows);
      encodeRawFeatures(t.table.columns, version.encoding, 0, t.table.numRows, t.what, first);
      for (let i = 0; i < ids.length; i++) {
        for (const earlier of seen.add(ids[i]!, total + first + i)) {
          // Rare: an equal hash. Compare the ids themselves (the earlier one from this chunk, or re-read).
          const { f, fileRow } = fileOf(earlier);
          const inChunk = f === rows.length && fileRow >= first;
          const other = inChunk ? t : await readUsersRows(sources[f]!, fileRow, fileRow + 1, store, access);
          if (usersTableIds(other, userIdColumn, fileRow, fileRow + 1)[0] !== ids[i]) continue;
          const at = `${t.what} row ${first + i + 1}`;
          throw new FeatureEncodingError(
            `duplicate user id '${ids[i]}' at ${at} (first at ${other.what} row ${fileRow + 1})`,
          );
        }
      }
      n = first + t.table.numRows;
    });
    rows.push(n);
    total += n;
  }
  const users = total;
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
