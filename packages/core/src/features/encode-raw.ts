import type { Encoding } from './encode.js';
import { numericNamesOf } from './reencode.js';

/** A column as a table reader gives it (io's RawColumn, restated: core reads no files). */
export type RawFeatureColumn = { kind: 'number'; values: Float64Array } | { kind: 'string'; values: string[] };

/** Why raw columns cannot be encoded: names the file, and the columns or the row. */
export class FeatureEncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeatureEncodingError';
  }
}

/** The raw columns an encoding reads: its numeric features and its categorical columns. */
export function rawColumnsOf(enc: Encoding): string[] {
  return [...numericNamesOf(enc), ...Object.keys(enc.vocab)];
}

/** Names the columns of `enc` that `columns` lacks, or undefined when none is missing. */
export function missingRawColumns(columns: ReadonlyMap<string, unknown>, enc: Encoding): string[] {
  return rawColumnsOf(enc).filter((c) => !columns.has(c));
}

/**
 * Encodes rows [start, end) of raw columns exactly as the feature builder encoded the training rows: numeric
 * features standardised with the stored mean and std, one indicator per stored vocabulary value (a value never
 * seen in training is all zeros). Never refits. Pure. Throws a {@link FeatureEncodingError} naming `what` and
 * the missing columns, or the first row of a numeric feature that is not a finite number; `firstRow` is the file
 * row of `columns`' row 0, for messages (a users shard holds only the row groups it needs).
 */
export function encodeRawFeatures(
  columns: ReadonlyMap<string, RawFeatureColumn>,
  enc: Encoding,
  start: number,
  end: number,
  what: string,
  firstRow = 0,
): Float32Array {
  const missing = missingRawColumns(columns, enc);
  if (missing.length) throw new FeatureEncodingError(`${what} lacks feature column(s) ${missing.join(', ')}`);
  const numeric = numericNamesOf(enc);
  const d = enc.featureNames.length;
  const n = end - start;
  const x = new Float32Array(n * d);
  numeric.forEach((name, k) => {
    const col = columns.get(name)!;
    for (let i = 0; i < n; i++) {
      // A string column can still hold numbers in most rows: the error names the first that is not one.
      const cell = col.values[start + i]!;
      const v = typeof cell === 'number' ? cell : cell.trim() === '' ? Number.NaN : Number(cell);
      if (!Number.isFinite(v)) {
        throw new FeatureEncodingError(
          `${what}: feature column '${name}' is not numeric at row ${firstRow + start + i + 1} ('${cell}')`,
        );
      }
      x[i * d + k] = (v - enc.mean[k]!) / enc.std[k]!;
    }
  });
  let offset = numeric.length;
  for (const [name, vocab] of Object.entries(enc.vocab)) {
    const index = new Map(vocab.map((v, j) => [v, j]));
    const col = columns.get(name)!;
    for (let i = 0; i < n; i++) {
      const j = index.get(String(col.values[start + i]));
      if (j !== undefined) x[i * d + offset + j] = 1;
    }
    offset += vocab.length;
  }
  return x;
}
