import type { FeatureTable } from '@bidfcl/contracts';
import type * as arrow from 'apache-arrow';
import { readArrowTable, writeParquet, type ParquetColumnData } from '../table/parquet.js';
import { readUtf8Into } from '../table/utf8-column.js';

/**
 * A FeatureTable as a Parquet file: f_0..f_{d-1} FLOAT (row-major x split into columns), arm INT32,
 * revenue and cost DOUBLE, user_id UTF8 when present, true_revenue_j / true_cost_j DOUBLE (j < m) when
 * present. d is recovered from the f_ column names; m is stored in the key-value metadata
 * `bidfcl.m` (it cannot be inferred from the arm column, where an arm may have no rows), alongside
 * `bidfcl.d` and `bidfcl.format` = `feature-table/1`.
 */
export const FEATURE_TABLE_FORMAT = 'feature-table/1';

/** Encodes a FeatureTable as Parquet bytes (see {@link FEATURE_TABLE_FORMAT} for the layout). */
export function encodeFeatureTable(t: FeatureTable): Uint8Array {
  const { n, d, m } = t;
  const check = (what: string, len: number | undefined, want: number) => {
    if (len !== want)
      throw new Error(`encodeFeatureTable: ${what} has length ${len}, expected ${want} (n=${n}, d=${d}, m=${m})`);
  };
  check('x', t.x.length, n * d);
  check('arm', t.arm.length, n);
  check('revenue', t.revenue.length, n);
  check('cost', t.cost.length, n);
  if (t.userId) check('userId', t.userId.length, n);
  if (t.trueRevenue || t.trueCost) {
    check('trueRevenue', t.trueRevenue?.length, n * m);
    check('trueCost', t.trueCost?.length, n * m);
  }
  const cols: Record<string, ParquetColumnData> = {};
  for (let j = 0; j < d; j++) {
    const f = new Float32Array(n);
    for (let i = 0; i < n; i++) f[i] = t.x[i * d + j]!;
    cols[`f_${j}`] = f;
  }
  cols.arm = t.arm;
  cols.revenue = t.revenue;
  cols.cost = t.cost;
  if (t.userId) cols.user_id = t.userId;
  if (t.trueRevenue && t.trueCost) {
    for (const [prefix, src] of [
      ['true_revenue', t.trueRevenue],
      ['true_cost', t.trueCost],
    ] as const)
      for (let j = 0; j < m; j++) {
        const c = new Float64Array(n);
        for (let i = 0; i < n; i++) c[i] = src[i * m + j]!;
        cols[`${prefix}_${j}`] = c;
      }
  }
  return writeParquet(cols, {
    metadata: { 'bidfcl.format': FEATURE_TABLE_FORMAT, 'bidfcl.d': String(d), 'bidfcl.m': String(m) },
  });
}

function numericArray(table: arrow.Table, name: string, what: string): ArrayLike<number> {
  const vec = table.getChild(name);
  if (!vec) throw new Error(`${what}: feature table has no column '${name}'`);
  if (vec.nullCount > 0) throw new Error(`${what}: feature table column '${name}' has ${vec.nullCount} null value(s)`);
  const arr = vec.toArray() as unknown;
  if (
    !ArrayBuffer.isView(arr) ||
    arr instanceof BigInt64Array ||
    arr instanceof BigUint64Array ||
    arr instanceof DataView
  )
    throw new Error(`${what}: feature table column '${name}' is not a 32/64-bit numeric column (${String(vec.type)})`);
  return arr as unknown as ArrayLike<number>;
}

/** Decodes bytes written by {@link encodeFeatureTable}; errors name `what` (the file or key). */
export function decodeFeatureTable(bytes: Uint8Array, what = 'feature table'): FeatureTable {
  const table = readArrowTable(bytes, what);
  const names = table.schema.fields.map((f) => f.name);
  const n = table.numRows;
  let d = 0;
  while (names.includes(`f_${d}`)) d++;
  if (names.some((c) => /^f_\d+$/.test(c) && Number(c.slice(2)) >= d))
    throw new Error(`${what}: feature columns f_0..f_${d - 1} are not contiguous`);
  const meta = table.schema.metadata;
  const metaD = meta.get('bidfcl.d');
  if (metaD !== undefined && Number(metaD) !== d)
    throw new Error(`${what}: metadata says d=${metaD} but the file has ${d} feature columns`);
  const metaM = meta.get('bidfcl.m');
  let m = metaM !== undefined ? Number(metaM) : 0;
  if (metaM === undefined) while (names.includes(`true_revenue_${m}`)) m++;
  if (!Number.isInteger(m) || m < 1)
    throw new Error(
      `${what}: the number of arms is unknown ` +
        "(no 'bidfcl.m' metadata and no true_revenue_j columns); not a feature table?",
    );

  const x = new Float32Array(n * d);
  for (let j = 0; j < d; j++) {
    const f = numericArray(table, `f_${j}`, what);
    for (let i = 0; i < n; i++) x[i * d + j] = f[i]!;
  }
  const arm = Int32Array.from(numericArray(table, 'arm', what));
  for (let i = 0; i < n; i++)
    if (!(arm[i]! >= 0 && arm[i]! < m))
      throw new Error(`${what}: arm ${arm[i]} at row ${i + 1} is outside 0..${m - 1}`);
  const out: FeatureTable = {
    n,
    d,
    m,
    x,
    arm,
    revenue: Float64Array.from(numericArray(table, 'revenue', what)),
    cost: Float64Array.from(numericArray(table, 'cost', what)),
  };
  const uid = table.getChild('user_id');
  if (uid) {
    const ids = new Array<string>(n);
    if (!readUtf8Into(uid, ids, 0)) for (let i = 0; i < n; i++) ids[i] = String(uid.get(i) ?? '');
    out.userId = ids;
  }
  if (names.includes('true_revenue_0')) {
    const truth = (prefix: string) => {
      const t = new Float64Array(n * m);
      for (let j = 0; j < m; j++) {
        const c = numericArray(table, `${prefix}_${j}`, what);
        for (let i = 0; i < n; i++) t[i * m + j] = c[i]!;
      }
      return t;
    };
    out.trueRevenue = truth('true_revenue');
    out.trueCost = truth('true_cost');
  }
  return out;
}
