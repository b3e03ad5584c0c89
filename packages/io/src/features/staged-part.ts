import type { StagedPart } from '@bidfcl/contracts';
import type { RawTable } from '../table/raw-table.js';
import { readParquet, writeParquet, type ParquetColumnData } from '../table/parquet.js';

/**
 * A StagedPart as a Parquet file: `num:<feature>` DOUBLE and `cat:<feature>` UTF8 per feature column, arm
 * INT32, revenue and cost DOUBLE, user_id UTF8 when present, true_revenue_j / true_cost_j DOUBLE (j < m)
 * when present. m is not stored: the reader knows it from the dataset spec.
 */
export function encodeStagedPart(p: StagedPart): Uint8Array {
  const cols: Record<string, ParquetColumnData> = {};
  for (const [k, v] of Object.entries(p.numeric)) cols[`num:${k}`] = v;
  for (const [k, v] of Object.entries(p.categorical)) cols[`cat:${k}`] = v;
  cols.arm = p.arm;
  cols.revenue = p.revenue;
  cols.cost = p.cost;
  if (p.userId) cols.user_id = p.userId;
  for (const [name, matrix] of [
    ['true_revenue', p.trueRevenue],
    ['true_cost', p.trueCost],
  ] as const) {
    if (!matrix) continue;
    for (let j = 0; j < p.m; j++) {
      const col = new Float64Array(p.n);
      for (let i = 0; i < p.n; i++) col[i] = matrix[i * p.m + j]!;
      cols[`${name}_${j}`] = col;
    }
  }
  return writeParquet(cols);
}

const num = (t: RawTable, name: string): Float64Array => {
  const c = t.columns.get(name);
  if (!c || c.kind !== 'number') throw new Error(`staging file lacks numeric column '${name}'`);
  return c.values;
};

/** Decodes bytes written by {@link encodeStagedPart} for a dataset with `m` arms; errors name `what`. */
export function decodeStagedPart(bytes: Uint8Array, m: number, what = 'staging file'): StagedPart {
  const t = readParquet(bytes, what);
  const numeric: Record<string, Float64Array> = {};
  const categorical: Record<string, string[]> = {};
  for (const [name, col] of t.columns) {
    if (name.startsWith('num:') && col.kind === 'number') numeric[name.slice(4)] = col.values;
    if (name.startsWith('cat:'))
      categorical[name.slice(4)] = col.kind === 'string' ? col.values : Array.from(col.values, String);
  }
  const n = t.numRows;
  const arm = Int32Array.from(num(t, 'arm'));
  const part: StagedPart = { n, m, numeric, categorical, arm, revenue: num(t, 'revenue'), cost: num(t, 'cost') };
  const uid = t.columns.get('user_id');
  if (uid?.kind === 'string') part.userId = uid.values;
  if (t.columns.has('true_revenue_0')) {
    const tr = new Float64Array(n * m);
    const tc = new Float64Array(n * m);
    for (let j = 0; j < m; j++) {
      const r = num(t, `true_revenue_${j}`);
      const c = num(t, `true_cost_${j}`);
      for (let i = 0; i < n; i++) {
        tr[i * m + j] = r[i]!;
        tc[i * m + j] = c[i]!;
      }
    }
    part.trueRevenue = tr;
    part.trueCost = tc;
  }
  return part;
}
