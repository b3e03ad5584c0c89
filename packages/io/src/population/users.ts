import type { ModelEncoding, UserSlicePiece } from '@bidfcl/contracts';
import { encodeRawFeatures, FeatureEncodingError } from '@bidfcl/core';
import type { ArtefactStore } from '../store/artefact-store.js';
import type { SourceAccess } from '../source/source-access.js';
import { readSource } from '../source/read-source.js';
import { detectFormat } from '../table/detect-format.js';
import type { RawTable } from '../table/raw-table.js';
import { readTable } from '../table/read-table.js';

/** One users table as read: its rows' ids and raw columns, and where it came from. */
export interface UsersTable {
  what: string;
  table: RawTable;
}

/** Reads a users table (CSV or Parquet, from a file, s3:// or store:) whole. */
export async function readUsersTable(source: string, store: ArtefactStore, access: SourceAccess): Promise<UsersTable> {
  const src = await readSource(source, store, access);
  const format = src.format ?? detectFormat(source) ?? 'csv';
  return { what: src.what, table: readTable(src.bytes, format, src.what) };
}

/** The user ids of rows [start, end) as strings; a missing column is an encoding error naming the file. */
export function usersTableIds(t: UsersTable, column: string, start: number, end: number): string[] {
  const col = t.table.columns.get(column);
  if (!col)
    throw new FeatureEncodingError(
      `${t.what} has no user id column '${column}' (columns: ${[...t.table.columns.keys()].join(', ')})`,
    );
  const out = new Array<string>(end - start);
  for (let i = start; i < end; i++) {
    const v = col.values[i]!;
    const id = typeof v === 'number' ? String(v) : v;
    if (id === '' || (typeof v === 'number' && !Number.isFinite(v)))
      throw new FeatureEncodingError(`${t.what}: empty user id in column '${column}' at row ${i + 1}`);
    out[i - start] = id;
  }
  return out;
}

/** A shard's users: ids and features encoded with the version's stored encoding (never refitted). */
export interface EncodedUsers {
  n: number;
  d: number;
  userIds: string[];
  x: Float32Array;
}

/** Reads and encodes a shard's pieces in order; each source is read once per shard. */
export async function readShardUsers(
  pieces: readonly UserSlicePiece[],
  userIdColumn: string,
  encoding: ModelEncoding,
  store: ArtefactStore,
  access: SourceAccess,
): Promise<EncodedUsers> {
  const d = encoding.featureNames.length;
  const ids: string[][] = [];
  const xs: Float32Array[] = [];
  for (const piece of pieces) {
    const t = await readUsersTable(piece.source, store, access);
    if (piece.end > t.table.numRows)
      throw new FeatureEncodingError(`${t.what} has ${t.table.numRows} rows, the shard needs rows up to ${piece.end}`);
    ids.push(usersTableIds(t, userIdColumn, piece.start, piece.end));
    xs.push(encodeRawFeatures(t.table.columns, encoding, piece.start, piece.end, t.what));
  }
  const userIds = ids.flat();
  const x = new Float32Array(userIds.length * d);
  let at = 0;
  for (const part of xs) {
    x.set(part, at);
    at += part.length;
  }
  return { n: userIds.length, d, userIds, x };
}
