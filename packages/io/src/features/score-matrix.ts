import type { ScoreMatrix } from '@bidfcl/contracts';
import { readParquet, writeParquet, type ParquetColumnData } from '../table/parquet.js';
import type { RawTable } from '../table/raw-table.js';

/** What names a score table's rows and arms. */
export interface ScoreLabels {
  /** One per row: written first, as the UTF8 column `user_id`. */
  userId?: string[];
  /** Arm names by index: the key-value metadata `bidfcl.arms` (a JSON array), naming the `_j` of r_j and c_j. */
  arms?: string[];
}

/**
 * Scores as a Parquet table with columns user_id (when given), r_0..r_{m-1}, c_0..c_{m-1} (raw units), the
 * arm names in the metadata when given.
 */
export function encodeScoreMatrix(s: ScoreMatrix, labels: ScoreLabels = {}): Uint8Array {
  const cols: Record<string, ParquetColumnData> = {};
  if (labels.userId) {
    if (labels.userId.length !== s.n)
      throw new Error(`encodeScoreMatrix: ${labels.userId.length} user ids for ${s.n} rows`);
    cols.user_id = labels.userId;
  }
  if (labels.arms && labels.arms.length !== s.m)
    throw new Error(`encodeScoreMatrix: ${labels.arms.length} arm names for ${s.m} arms`);
  for (let j = 0; j < s.m; j++) {
    const r = new Float64Array(s.n);
    const c = new Float64Array(s.n);
    for (let i = 0; i < s.n; i++) {
      r[i] = s.r[i * s.m + j]!;
      c[i] = s.c[i * s.m + j]!;
    }
    cols[`r_${j}`] = r;
    cols[`c_${j}`] = c;
  }
  return writeParquet(cols, labels.arms ? { metadata: { 'bidfcl.arms': JSON.stringify(labels.arms) } } : {});
}

/** The inverse of encodeScoreMatrix (the scores only); `m` arms are expected. */
export function decodeScoreMatrix(bytes: Uint8Array, m: number, what: string): ScoreMatrix {
  return scoreMatrixOf(readParquet(bytes, what), m, what);
}

/** The scores of a score table already read (see decodeScoreMatrix). */
export function scoreMatrixOf(t: RawTable, m: number, what: string): ScoreMatrix {
  const n = t.numRows;
  const r = new Float64Array(n * m);
  const c = new Float64Array(n * m);
  for (let j = 0; j < m; j++) {
    const rc = t.columns.get(`r_${j}`);
    const cc = t.columns.get(`c_${j}`);
    if (rc?.kind !== 'number' || cc?.kind !== 'number') throw new Error(`${what}: missing score columns r_${j}/c_${j}`);
    for (let i = 0; i < n; i++) {
      r[i * m + j] = rc.values[i]!;
      c[i * m + j] = cc.values[i]!;
    }
  }
  return { n, m, r, c };
}
