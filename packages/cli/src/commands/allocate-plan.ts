import type { ModelVersion, PopulationRequest, UserSlicePiece } from '@bidfcl/contracts';
import { encodeRawFeatures, FeatureEncodingError } from '@bidfcl/core';
import { NotFoundError, type ArtefactStore } from '@bidfcl/io';
import { expandTableSource, type RuntimeEnv } from '@bidfcl/runtime';
import { readUsersTable, userIdsOf } from '@bidfcl/worker-allocator';
import { usageError } from '../cli-error.js';

/** What `bidfcl allocate` checked and how it splits the users into shards. */
export interface AllocationPlan {
  sources: string[];
  users: number;
  shards: UserSlicePiece[][];
}

/**
 * Reads every users table once before anything is enqueued, so that bad input is a usage error (exit 2) naming
 * the file, column or row: a missing user id or feature column, a non-numeric feature, a duplicate user id, no
 * users at all. Then splits the rows [0, users) into `shards` near-equal ranges, each a list of file slices.
 * Memory: one table at a time, plus the set of user ids (needed to find duplicates across files).
 */
export async function planAllocation(
  usersSource: string,
  version: ModelVersion,
  userIdColumn: string,
  shards: number | undefined,
  store: ArtefactStore,
  env: RuntimeEnv,
): Promise<AllocationPlan> {
  let sources: string[];
  try {
    sources = await expandTableSource(usersSource, store, env);
  } catch (err) {
    throw usageError(`--users ${usersSource}: ${(err as Error).message}`);
  }
  if (sources.length === 0) throw usageError(`--users ${usersSource}: no .parquet or .csv files there`);
  const seen = new Map<string, string>();
  const rows: number[] = [];
  for (const source of sources) {
    try {
      const t = await readUsersTable(source, store, env.s3);
      const n = t.table.numRows;
      const ids = userIdsOf(t, userIdColumn, 0, n);
      encodeRawFeatures(t.table.columns, version.encoding, 0, n, t.what);
      ids.forEach((id, i) => {
        const first = seen.get(id);
        if (first !== undefined)
          throw new FeatureEncodingError(`duplicate user id '${id}' at ${t.what} row ${i + 1} (first at ${first})`);
        seen.set(id, `${t.what} row ${i + 1}`);
      });
      rows.push(n);
    } catch (err) {
      if (err instanceof FeatureEncodingError) throw usageError(`${err.message} (model ${modelRef(version)})`);
      if (err instanceof NotFoundError) throw usageError(`--users: ${source} not found`);
      throw err;
    }
  }
  const users = rows.reduce((a, b) => a + b, 0);
  if (users === 0) throw usageError(`--users ${usersSource}: the users table is empty (${sources.join(', ')})`);
  // Default: one shard per 500000 users (a shard's scores and hulls are what one job holds in memory).
  const s = Math.min(shards ?? Math.ceil(users / 500000), users);
  return { sources, users, shards: splitRows(sources, rows, s) };
}

const modelRef = (v: ModelVersion) => `${v.model}@${v.version}`;

/** Rows [0, Σ rows) in `shards` consecutive near-equal ranges, each as slices of the files it spans. */
export function splitRows(sources: string[], rows: number[], shards: number): PopulationRequest['shards'] {
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
