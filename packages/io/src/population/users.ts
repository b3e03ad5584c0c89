import type { ModelEncoding, UserSlicePiece } from '@bidfcl/contracts';
import { encodeRawFeatures, FeatureEncodingError } from '@bidfcl/core';
import type { ArtefactStore } from '../store/artefact-store.js';
import type { SourceAccess } from '../source/source-access.js';
import { readSource } from '../source/read-source.js';
import { detectFormat } from '../table/detect-format.js';
import type { RawTable } from '../table/raw-table.js';
import { readTable } from '../table/read-table.js';
import { rowGroupsOf } from '../table/parquet-row-groups.js';
import { withParquetRowGroups } from './users-rows.js';

/** Some consecutive rows of a users table as read, and where they came from. */
export interface UsersTable {
  what: string;
  table: RawTable;
  /** The file row of the table's row 0 (0 when the whole file was read). */
  firstRow?: number;
}

/** Reads a users table (CSV or Parquet, from a file, s3:// or store:) whole. */
export async function readUsersTable(source: string, store: ArtefactStore, access: SourceAccess): Promise<UsersTable> {
  const src = await readSource(source, store, access);
  const format = src.format ?? detectFormat(source) ?? 'csv';
  return { what: src.what, table: await readTable(src.bytes, format, src.what) };
}

/**
 * File rows [start, end) of a users table, within a table that may hold a few more: for Parquet only the row
 * groups holding them are fetched and decoded (docs/method.md §7: memory bounded by the shard); CSV is read whole.
 */
export async function readUsersRows(
  source: string,
  start: number,
  end: number,
  store: ArtefactStore,
  access: SourceAccess,
): Promise<UsersTable> {
  const part = await withParquetRowGroups(source, store, access, async (file, what) => {
    const { first, last, firstRow } = rowGroupsOf(file.groupRows, start, end);
    if (first < 0 || end > file.groupRows.reduce((a, b) => a + b, 0)) return undefined; // the caller says why
    return { what, table: await file.read(first, last), firstRow };
  });
  return part ?? (await readUsersTable(source, store, access));
}

/** The user ids of file rows [start, end) as strings; a missing column is an encoding error naming the file. */
export function usersTableIds(t: UsersTable, column: string, start: number, end: number): string[] {
  const col = t.table.columns.get(column);
  if (!col)
    throw new FeatureEncodingError(
      `${t.what} has no user id column '${column}' (columns: ${[...t.table.columns.keys()].join(', ')})`,
    );
  const base = t.firstRow ?? 0;
  const out = new Array<string>(end - start);
  for (let i = start; i < end; i++) {
    const v = col.values[i - base]!;
    const id = typeof v === 'number' ? String(v) : v;
    if (id === '' || (typeof v === 'number' && !Number.isFinite(v)))
      throw new FeatureEncodingError(`${t.what}: empty user id in column '${column}' at row ${i + 1}`);
    out[i - start] = id;
  }
  return out;
}

/** File rows a table holds: [firstRow, firstRow + numRows). */
export const rowsEnd = (t: UsersTable) => (t.firstRow ?? 0) + t.table.numRows;

/** A shard's users: ids and features encoded with the version's stored encoding (never refitted). */
export interface EncodedUsers {
  n: number;
  d: number;
  userIds: string[];
  x: Float32Array;
}

/** Reads and encodes a shard's pieces in order; each piece reads only the row groups that hold it. */
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
    const t = await readUsersRows(piece.source, piece.start, piece.end, store, access);
    if (piece.end > rowsEnd(t))
      throw new FeatureEncodingError(`${t.what} has ${rowsEnd(t)} rows, the shard needs rows up to ${piece.end}`);
    const base = t.firstRow ?? 0;
    ids.push(usersTableIds(t, userIdColumn, piece.start, piece.end));
    xs.push(encodeRawFeatures(t.table.columns, encoding, piece.start - base, piece.end - base, t.what, base));
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
