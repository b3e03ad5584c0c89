import type { ScoreMatrix } from '@bidfcl/contracts';
import { readParquet, writeParquet } from '../table/parquet.js';

/** Scores as a Parquet table with columns r_0..r_{m-1}, c_0..c_{m-1} (raw units). */
export function encodeScoreMatrix(s: ScoreMatrix): Uint8Array {
  const cols: Record<string, Float64Array> = {};
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
  return writeParquet(cols);
}

/** The inverse of encodeScoreMatrix; `m` arms are expected. */
export function decodeScoreMatrix(bytes: Uint8Array, m: number, what: string): ScoreMatrix {
  const t = readParquet(bytes, what);
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
