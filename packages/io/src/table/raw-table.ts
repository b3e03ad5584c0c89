/**
 * A table as read from a file, before validation: every column is either numbers or strings.
 * Validation (not the reader) decides what a column must be from its role in the dataset spec.
 */
export type RawColumn = { kind: 'number'; values: Float64Array } | { kind: 'string'; values: string[] };

export interface RawTable {
  numRows: number;
  /** In file order. */
  columns: Map<string, RawColumn>;
}
