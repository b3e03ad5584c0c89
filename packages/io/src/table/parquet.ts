import * as arrow from 'apache-arrow';
import * as pq from 'parquet-wasm';
import type { RawColumn, RawTable } from './raw-table.js';
import { readUtf8Into, utf8Vector } from './utf8-column.js';

/** Column data writeParquet accepts: each typed array maps to the Parquet type of the same width. */
export type ParquetColumnData = Float64Array | Float32Array | Int32Array | string[];

/**
 * Snappy, not zstd: on random float features (the common case, nearly incompressible) zstd saves little
 * space and costs write time; see bench/parquet-bench.mjs for the measurement.
 */
const COMPRESSION = pq.Compression.SNAPPY;

function toVector(name: string, values: ParquetColumnData): arrow.Vector {
  if (Array.isArray(values)) {
    for (let i = 0; i < values.length; i++)
      if (typeof values[i] !== 'string')
        throw new Error(`column '${name}' row ${i + 1}: expected a string, got ${typeof values[i]}`);
    return utf8Vector(values);
  }
  if (values instanceof Float64Array || values instanceof Float32Array || values instanceof Int32Array)
    return arrow.makeVector(values);
  throw new Error(`column '${name}': unsupported data (Float64Array, Float32Array, Int32Array or string[] expected)`);
}

/** Builds an Arrow table from columns of equal length (helper shared with the feature-table codec). */
export function toArrowTable(
  columns: Record<string, ParquetColumnData>,
  metadata?: Record<string, string>,
): arrow.Table {
  const names = Object.keys(columns);
  if (names.length === 0) throw new Error('writeParquet: a table needs at least one column');
  const n = columns[names[0]!]!.length;
  const vectors: Record<string, arrow.Vector> = {};
  for (const name of names) {
    const values = columns[name]!;
    if (values.length !== n)
      throw new Error(`writeParquet: column '${name}' has ${values.length} rows, column '${names[0]}' has ${n}`);
    vectors[name] = toVector(name, values);
  }
  const table = new arrow.Table(vectors);
  for (const [k, v] of Object.entries(metadata ?? {})) table.schema.metadata.set(k, v);
  return table;
}

/**
 * Writes columns as one Parquet file (Snappy; dictionary encoding off for float columns, where it only
 * bloats random floats; on for integers and strings, where it shrinks arm indices and categories). `metadata` lands
 * in the file's key-value metadata; `rowGroupRows` caps a row group (a reader of a few rows decodes only its group).
 * Float32Array → FLOAT, Float64Array → DOUBLE, Int32Array → INT32, string[] → UTF8 BYTE_ARRAY.
 */
export function writeParquet(
  columns: Record<string, ParquetColumnData>,
  opts: { metadata?: Record<string, string>; rowGroupRows?: number } = {},
): Uint8Array {
  const table = toArrowTable(columns, opts.metadata);
  let builder = new pq.WriterPropertiesBuilder().setCompression(COMPRESSION).setCreatedBy('@bidfcl/io');
  if (opts.rowGroupRows) builder = builder.setMaxRowGroupSize(opts.rowGroupRows);
  for (const [name, values] of Object.entries(columns))
    if (values instanceof Float64Array || values instanceof Float32Array)
      builder = builder.setColumnDictionaryEnabled(name, false);
  const wasmTable = pq.Table.fromIPCStream(arrow.tableToIPC(table, 'stream'));
  return pq.writeParquet(wasmTable, builder.build());
}

const MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1" opens and closes every Parquet file

/** Parses Parquet bytes into an Arrow table; errors name `what` (the file). */
export function readArrowTable(bytes: Uint8Array, what = 'input'): arrow.Table {
  const n = bytes.byteLength;
  const hasMagic = n >= 12 && MAGIC.every((b, i) => bytes[i] === b && bytes[n - 4 + i] === b);
  if (!hasMagic)
    throw new Error(`${what} is not a Parquet file (it does not start and end with the 'PAR1' marker; ${n} bytes)`);
  try {
    // (parquet-wasm 0.7's `columns` reader option yields IPC that apache-arrow cannot load: read all columns.)
    // One Arrow batch per row group instead of the reader's default 1024-row batches: 1M rows would
    // otherwise arrive as ~1000 chunks, and IPC decoding plus concatenation dominated read time.
    const wasmTable = pq.readParquet(bytes, { batchSize: 1 << 24 });
    return arrow.tableFromIPC(wasmTable.intoIPCStream());
  } catch (err) {
    throw new Error(`cannot read Parquet file ${what}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}

function numericChunks(vec: arrow.Vector, n: number): RawColumn {
  const only = vec.data.length === 1 ? vec.data[0] : undefined;
  if (only && only.nullCount === 0) {
    // A single float64 chunk without nulls is already the representation we want: no copy.
    const arr = new arrow.Vector([only]).toArray() as unknown;
    if (arr instanceof Float64Array && arr.length === n) return { kind: 'number', values: arr };
  }
  const out = new Float64Array(n);
  let pos = 0;
  for (const data of vec.data) {
    const arr = new arrow.Vector([data]).toArray() as ArrayLike<number | bigint>;
    if (arr instanceof BigInt64Array || arr instanceof BigUint64Array) {
      for (let i = 0; i < arr.length; i++) {
        const v = arr[i]!;
        // 64-bit ids beyond 2^53 would lose digits as numbers: keep the whole column as exact strings.
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) return stringsOf(vec, n);
        out[pos + i] = Number(v);
      }
    } else out.set(arr as ArrayLike<number>, pos);
    if (data.nullCount > 0) for (let i = 0; i < data.length; i++) if (!data.getValid(i)) out[pos + i] = NaN;
    pos += data.length;
  }
  return { kind: 'number', values: out };
}

function numbersOf(vec: arrow.Vector, n: number): RawColumn {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v: unknown = vec.get(i);
    out[i] = v === null || v === undefined ? NaN : Number(v);
  }
  return { kind: 'number', values: out };
}

function stringsOf(vec: arrow.Vector, n: number): RawColumn {
  const out = new Array<string>(n);
  if (readUtf8Into(vec, out, 0)) return { kind: 'string', values: out };
  for (let i = 0; i < n; i++) {
    const v: unknown = vec.get(i);
    out[i] = v === null || v === undefined ? '' : String(v);
  }
  return { kind: 'string', values: out };
}

function isNumericType(t: arrow.DataType): boolean {
  return (
    arrow.DataType.isInt(t) ||
    arrow.DataType.isFloat(t) ||
    arrow.DataType.isBool(t) ||
    arrow.DataType.isNull(t) ||
    arrow.DataType.isDecimal(t)
  );
}

function toRawColumn(vec: arrow.Vector, n: number): RawColumn {
  const t = vec.type as arrow.DataType;
  if (arrow.DataType.isInt(t) || (arrow.DataType.isFloat(t) && (t as arrow.Float).precision !== arrow.Precision.HALF))
    return numericChunks(vec, n);
  if (arrow.DataType.isDictionary(t))
    return isNumericType((t as arrow.Dictionary).dictionary) ? numbersOf(vec, n) : stringsOf(vec, n);
  // Booleans → 0/1, half floats, decimals; nulls → NaN so validation can point at them.
  if (isNumericType(t)) return numbersOf(vec, n);
  // Strings, and anything else (dates, binary, ...) as its text; validation decides whether that is allowed.
  return stringsOf(vec, n);
}

/**
 * Reads a Parquet file into a {@link RawTable}: integer, float and boolean columns become numbers
 * (nulls → NaN), string columns strings (nulls → ''), 64-bit integers beyond 2^53 exact decimal strings.
 * `what` names the file in errors. A float64 column may be a view into a buffer shared with other
 * columns (no copy): copy it before transferring its `.buffer`.
 */
export function readParquet(bytes: Uint8Array, what = 'input'): RawTable {
  return rawTableOf(readArrowTable(bytes, what));
}

/** An Arrow table's columns as a {@link RawTable} (the conversion {@link readParquet} describes). */
export function rawTableOf(table: arrow.Table): RawTable {
  const columns = new Map<string, RawColumn>();
  for (const field of table.schema.fields) {
    const vec = table.getChild(field.name);
    if (vec) columns.set(field.name, toRawColumn(vec, table.numRows));
  }
  return { numRows: table.numRows, columns };
}
