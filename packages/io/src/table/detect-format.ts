export type TableFormat = 'parquet' | 'csv';

/** The table format a file name or URI implies by its extension, or undefined when it implies none. */
export function detectFormat(uri: string): TableFormat | undefined {
  const name = uri.toLowerCase();
  if (name.endsWith('.parquet') || name.endsWith('.pq')) return 'parquet';
  if (name.endsWith('.csv')) return 'csv';
  return undefined;
}
