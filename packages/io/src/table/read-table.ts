import { parseCsvBytes } from './csv.js';
import type { TableFormat } from './detect-format.js';
import { readParquet } from './parquet.js';
import type { RawTable } from './raw-table.js';

/** Reads a dataset file's bytes in the given format; `what` names the file in errors. */
export async function readTable(bytes: Uint8Array, format: TableFormat, what: string): Promise<RawTable> {
  if (format === 'parquet') return readParquet(bytes, what);
  if (format === 'csv') return parseCsvBytes(bytes, what);
  throw new Error(`${what}: unknown table format '${String(format)}' (parquet or csv)`);
}
