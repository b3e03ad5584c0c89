import type { ArtefactStore } from '../store/artefact-store.js';
import type { SourceAccess } from '../source/source-access.js';
import { openSourceRange } from '../source/read-source.js';
import { openParquetRowGroups, type ParquetRowGroups } from '../table/parquet-row-groups.js';
import { readUsersTable, type UsersTable } from './users.js';

const PAR1 = [0x50, 0x41, 0x52, 0x31];

/**
 * Runs `fn` on a users table opened by row groups when it is Parquet (by its name, or by its 'PAR1' marker when
 * the name says nothing), and returns undefined for CSV, which is read whole (it has no row index to seek by).
 */
export async function withParquetRowGroups<T>(
  source: string,
  store: ArtefactStore,
  access: SourceAccess,
  fn: (file: ParquetRowGroups, what: string) => Promise<T>,
): Promise<T | undefined> {
  const src = await openSourceRange(source, store, access);
  try {
    if (src.format === 'csv') return undefined;
    if (src.format === undefined) {
      const head = await src.reader.read(0, 4);
      if (!(head.length === 4 && PAR1.every((b, i) => head[i] === b))) return undefined;
    }
    return await fn(await openParquetRowGroups(src.reader, src.what), src.what);
  } finally {
    await src.reader.close();
  }
}

/**
 * Calls `fn` on consecutive chunks of a users table, in order: one Parquet row group at a time, or the whole of a
 * CSV file, so that checking a table holds one row group in memory, not the file.
 */
export async function forEachUsersChunk(
  source: string,
  store: ArtefactStore,
  access: SourceAccess,
  fn: (chunk: UsersTable) => void | Promise<void>,
): Promise<void> {
  const done = await withParquetRowGroups(source, store, access, async (file, what) => {
    if (file.groupRows.length === 0) return false; // read whole below: its columns are still checked
    let firstRow = 0;
    for (let g = 0; g < file.groupRows.length; g++) {
      await fn({ what, table: await file.read(g, g), firstRow });
      firstRow += file.groupRows[g]!;
    }
    return true;
  });
  if (!done) await fn(await readUsersTable(source, store, access));
}
