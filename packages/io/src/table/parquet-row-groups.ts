import * as arrow from 'apache-arrow';
import * as pq from 'parquet-wasm';
import type { RangeReader } from '../store/artefact-store.js';
import { rawTableOf } from './parquet.js';
import type { RawTable } from './raw-table.js';

/** A Parquet file opened by its footer: row counts of its row groups, and a reader of consecutive groups. */
export interface ParquetRowGroups {
  /** Rows of each row group, in file order. */
  groupRows: number[];
  /** Decodes row groups [first, last] (only their byte ranges are fetched). */
  read(first: number, last: number): Promise<RawTable>;
}

const fail = (what: string, err: unknown) =>
  new Error(`cannot read Parquet file ${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });

/**
 * Opens a Parquet file through byte-range reads (docs/method.md §7: a shard's memory is bounded by the shard, not
 * by the file): parquet-wasm's ParquetFile reads a Blob by slices, so a Blob-like view of `reader` makes it fetch
 * the footer first and then only the column chunks of the row groups asked for.
 */
export async function openParquetRowGroups(reader: RangeReader, what: string): Promise<ParquetRowGroups> {
  const blob = {
    size: reader.size,
    slice: (start: number, end: number) => ({
      arrayBuffer: async () => {
        const b = await reader.read(start, end);
        return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b.buffer : b.slice().buffer;
      },
    }),
  };
  let file: pq.ParquetFile;
  let groupRows: number[];
  try {
    file = await pq.ParquetFile.fromFile(blob as unknown as Blob);
    const meta = file.metadata();
    groupRows = meta.rowGroups().map((g) => g.numRows());
  } catch (err) {
    throw fail(what, err);
  }
  return {
    groupRows,
    async read(first, last) {
      const rowGroups = Array.from({ length: last - first + 1 }, (_, k) => first + k);
      try {
        // One Arrow batch per row group (see readArrowTable).
        const t = await file.read({ rowGroups, batchSize: 1 << 24 });
        return rawTableOf(arrow.tableFromIPC(t.intoIPCStream()));
      } catch (err) {
        throw fail(what, err);
      }
    },
  };
}

/** The row groups [first, last] that hold rows [start, end) (end > start), and the file row of first's row 0. */
export function rowGroupsOf(groupRows: readonly number[], start: number, end: number) {
  let first = -1;
  let last = -1;
  let firstRow = 0;
  for (let g = 0, at = 0; g < groupRows.length && at < end; at += groupRows[g]!, g++) {
    if (at + groupRows[g]! > start && first < 0) [first, firstRow] = [g, at];
    last = g;
  }
  return { first, last, firstRow };
}
