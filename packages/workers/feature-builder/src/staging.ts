import type { RawTable } from '@bidfcl/io';
import type { StagedColumns } from './stats.js';

/** A validated input part as the feature builder stages it: raw (unstandardised) values, arm as an index. */
export interface StagedPart extends StagedColumns {
  userId?: string[];
  trueRevenue?: Float64Array;
  trueCost?: Float64Array;
}

/** Column layout of a staging Parquet file: `num:<feature>`, `cat:<feature>`, arm, revenue, cost, … */
export function stagedToColumns(p: StagedPart): Record<string, Float64Array | Int32Array | string[]> {
  const cols: Record<string, Float64Array | Int32Array | string[]> = {};
  for (const [k, v] of Object.entries(p.numeric)) cols[`num:${k}`] = v;
  for (const [k, v] of Object.entries(p.categorical)) cols[`cat:${k}`] = v;
  cols.arm = p.arm;
  cols.revenue = p.revenue;
  cols.cost = p.cost;
  if (p.userId) cols.user_id = p.userId;
  for (const [name, matrix] of [['true_revenue', p.trueRevenue], ['true_cost', p.trueCost]] as const) {
    if (!matrix) continue;
    for (let j = 0; j < p.m; j++) {
      const col = new Float64Array(p.n);
      for (let i = 0; i < p.n; i++) col[i] = matrix[i * p.m + j]!;
      cols[`${name}_${j}`] = col;
    }
  }
  return cols;
}

const num = (t: RawTable, name: string): Float64Array => {
  const c = t.columns.get(name);
  if (!c || c.kind !== 'number') throw new Error(`staging file lacks numeric column '${name}'`);
  return c.values;
};

/** Reads a staging table back (the inverse of stagedToColumns). */
export function columnsToStaged(t: RawTable, m: number): StagedPart {
  const numeric: Record<string, Float64Array> = {};
  const categorical: Record<string, string[]> = {};
  for (const [name, col] of t.columns) {
    if (name.startsWith('num:') && col.kind === 'number') numeric[name.slice(4)] = col.values;
    if (name.startsWith('cat:')) categorical[name.slice(4)] = col.kind === 'string' ? col.values : Array.from(col.values, String);
  }
  const n = t.numRows;
  const part: StagedPart = { n, m, numeric, categorical, arm: Int32Array.from(num(t, 'arm')), revenue: num(t, 'revenue'), cost: num(t, 'cost') };
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

/** Rows of `p` where `keep[i]` is true, as a new part. */
export function selectRows(p: StagedPart, keep: Uint8Array): StagedPart {
  const idx: number[] = [];
  for (let i = 0; i < p.n; i++) if (keep[i]) idx.push(i);
  const n = idx.length;
  const pick = (v: Float64Array) => Float64Array.from(idx, (i) => v[i]!);
  const pickM = (v: Float64Array) => {
    const out = new Float64Array(n * p.m);
    idx.forEach((i, r) => out.set(v.subarray(i * p.m, (i + 1) * p.m), r * p.m));
    return out;
  };
  const out: StagedPart = {
    n,
    m: p.m,
    numeric: Object.fromEntries(Object.entries(p.numeric).map(([k, v]) => [k, pick(v)])),
    categorical: Object.fromEntries(Object.entries(p.categorical).map(([k, v]) => [k, idx.map((i) => v[i]!)])),
    arm: Int32Array.from(idx, (i) => p.arm[i]!),
    revenue: pick(p.revenue),
    cost: pick(p.cost),
  };
  if (p.userId) out.userId = idx.map((i) => p.userId![i]!);
  if (p.trueRevenue) out.trueRevenue = pickM(p.trueRevenue);
  if (p.trueCost) out.trueCost = pickM(p.trueCost);
  return out;
}
