import { SPLITS, keys, type Split } from '@bidfcl/contracts';
import { writeParquet, type ArtefactStore, type ParquetColumnData, type RawTable } from '@bidfcl/io';

/** One split of a built-in dataset as columns ready for Parquet. */
export interface SplitTable {
  n: number;
  columns: Record<string, ParquetColumnData>;
}

/** Rows per Parquet part (as `bidfcl simulate`): every built-in split fits in one part today. */
export const ROWS_PER_PART = 50_000;

/** Selected rows (in the given order) of raw columns, renamed `out ← in`; numbers stay numbers, text stays text. */
export function takeRawRows(
  raw: RawTable,
  rows: Int32Array,
  names: Record<string, string>,
): Record<string, ParquetColumnData> {
  const out: Record<string, ParquetColumnData> = {};
  for (const [to, from] of Object.entries(names)) {
    const col = raw.columns.get(from);
    if (!col) throw new Error(`missing column '${from}'`);
    if (col.kind === 'number') out[to] = Float64Array.from(rows, (i) => col.values[i]!);
    else out[to] = Array.from(rows, (i) => col.values[i]!);
  }
  return out;
}

/** Selected rows of one typed column. */
export function pick<T extends Float64Array | Int32Array>(values: T, rows: Int32Array): T {
  const out = new (values.constructor as new (n: number) => T)(rows.length);
  for (let p = 0; p < rows.length; p++) out[p] = values[rows[p]!]!;
  return out;
}

/**
 * Writes each split as Parquet parts `<prefix><split>/part-NNNNN.parquet` and returns the `store:` URIs per
 * split (an absent or empty split gets no part and an empty list).
 */
export async function writeSplits(
  store: ArtefactStore,
  prefix: string,
  splits: Partial<Record<Split, SplitTable>>,
): Promise<Record<Split, string[]>> {
  const uris = { rct: [], val: [], obs: [], test: [] } as Record<Split, string[]>;
  for (const split of SPLITS) {
    const t = splits[split];
    if (!t || t.n === 0) continue;
    for (let start = 0, part = 0; start < t.n; start += ROWS_PER_PART, part++) {
      const end = Math.min(t.n, start + ROWS_PER_PART);
      const cols: Record<string, ParquetColumnData> = {};
      for (const [name, values] of Object.entries(t.columns)) cols[name] = values.slice(start, end);
      const key = keys.datasetPartIn(prefix, split, part);
      await store.put(key, writeParquet(cols));
      uris[split].push(`store:${key}`);
    }
  }
  return uris;
}
