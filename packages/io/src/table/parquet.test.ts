import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as arrow from 'apache-arrow';
import * as pq from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dir.js';
import { readParquet, writeParquet } from './parquet.js';

/** Deterministic pseudo-random numbers (LCG) so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function numbers(t: ReturnType<typeof readParquet>, name: string): Float64Array {
  const c = t.columns.get(name);
  if (c?.kind !== 'number') throw new Error(`column ${name} is not numeric`);
  return c.values;
}

describe('Parquet', () => {
  it('round-trips every column type exactly through a file on disk', async () => {
    const rnd = lcg(7);
    const n = 5000;
    const f64 = Float64Array.from({ length: n }, () => (rnd() - 0.5) * 1e6);
    f64.set([NaN, Infinity, -Infinity, -0, Number.MIN_VALUE, Number.MAX_VALUE, 0.1 + 0.2], 0);
    const f32 = Float32Array.from({ length: n }, () => (rnd() - 0.5) * 1e3);
    f32.set([NaN, 3.4028234663852886e38, 1.401298464324817e-45, -0], 0);
    const i32 = Int32Array.from({ length: n }, () => Math.floor(rnd() * 2 ** 32) - 2 ** 31);
    i32.set([2147483647, -2147483648, 0], 0);
    const str = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? '' : `u-${i}-é✓"',\n`));
    const dir = await tempDir('io-parquet');
    try {
      const file = path.join(dir.path, 'all.parquet');
      await writeFile(file, writeParquet({ f64, f32, i32, str }));
      const t = readParquet(await readFile(file), file);
      expect(t.numRows).toBe(n);
      expect([...t.columns.keys()]).toEqual(['f64', 'f32', 'i32', 'str']);
      // Object.is distinguishes -0 and compares NaN to NaN: exact values, not approximately.
      const back64 = numbers(t, 'f64');
      for (let i = 0; i < n; i++)
        if (!Object.is(back64[i], f64[i])) throw new Error(`f64 row ${i}: ${back64[i]} vs ${f64[i]}`);
      // Float32 values widen to float64 exactly; narrowing again must reproduce every bit.
      const back32 = new Float32Array(numbers(t, 'f32'));
      expect(Buffer.from(back32.buffer).equals(Buffer.from(f32.buffer))).toBe(true);
      expect(Array.from(numbers(t, 'i32'))).toEqual(Array.from(i32));
      const s = t.columns.get('str');
      expect(s?.kind).toBe('string');
      expect(s?.values).toEqual(str);
    } finally {
      await dir.cleanup();
    }
  });

  it('writes float columns without dictionary encoding, strings and ints with it, all compressed', async () => {
    const n = 2000;
    const bytes = writeParquet({
      x: Float64Array.from({ length: n }, (_, i) => Math.sin(i)),
      y: Float32Array.from({ length: n }, (_, i) => Math.cos(i)),
      s: Array.from({ length: n }, (_, i) => `c${i % 3}`),
      a: Int32Array.from({ length: n }, (_, i) => i % 4),
    });
    const file = await pq.ParquetFile.fromFile(new Blob([bytes]));
    const cols = file.metadata().rowGroup(0).columns();
    const enc = (name: string) => cols.find((c) => c.columnPath().join('.') === name)!.encodings() as pq.Encoding[];
    const dictionary = [pq.Encoding.PLAIN_DICTIONARY, pq.Encoding.RLE_DICTIONARY];
    expect(enc('x')).toContain(pq.Encoding.PLAIN);
    expect(enc('x').some((e) => dictionary.includes(e))).toBe(false);
    expect(enc('y').some((e) => dictionary.includes(e))).toBe(false);
    expect(enc('s').some((e) => dictionary.includes(e))).toBe(true);
    expect(enc('a').some((e) => dictionary.includes(e))).toBe(true);
    expect(cols.every((c) => c.compression() === pq.Compression.SNAPPY)).toBe(true);
  });

  it('reads other writers’ types: nulls → NaN or empty string, bool, int64, int64 beyond 2^53 as exact strings', () => {
    const table = new arrow.Table({
      f: arrow.vectorFromArray([1.5, null, 3], new arrow.Float64()),
      b: arrow.vectorFromArray([true, false, null], new arrow.Bool()),
      i64: arrow.vectorFromArray([1n, -2n, null], new arrow.Int64()),
      big: arrow.vectorFromArray([9007199254740993n, 1n, 2n], new arrow.Int64()),
      s: arrow.vectorFromArray(['a', null, 'c'], new arrow.Utf8()),
      i16: arrow.vectorFromArray([1, 2, 3], new arrow.Int16()),
    });
    const bytes = pq.writeParquet(pq.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')));
    const t = readParquet(bytes, 'other.parquet');
    expect(Array.from(numbers(t, 'f'))).toEqual([1.5, NaN, 3]);
    expect(Array.from(numbers(t, 'b'))).toEqual([1, 0, NaN]);
    expect(Array.from(numbers(t, 'i64'))).toEqual([1, -2, NaN]);
    expect(t.columns.get('big')).toEqual({ kind: 'string', values: ['9007199254740993', '1', '2'] });
    expect(t.columns.get('s')).toEqual({ kind: 'string', values: ['a', '', 'c'] });
    expect(Array.from(numbers(t, 'i16'))).toEqual([1, 2, 3]);
  });

  it('rejects bytes that are not Parquet, naming the file', () => {
    expect(() => readParquet(new TextEncoder().encode('a,b\n1,2\n'), '/data/rct.parquet')).toThrow(
      /\/data\/rct\.parquet is not a Parquet file/,
    );
    const good = writeParquet({ a: new Float64Array(100).fill(1) });
    const broken = good.slice();
    broken.fill(0x7f, 4, broken.length - 8);
    expect(() => readParquet(broken, 'broken.parquet')).toThrow(/cannot read Parquet file broken\.parquet/);
  });

  it('rejects columns of unequal length or bad cells', () => {
    expect(() => writeParquet({ a: new Float64Array(2), b: new Float64Array(3) })).toThrow(/'b' has 3 rows/);
    expect(() => writeParquet({ s: ['a', 1 as unknown as string] })).toThrow(/column 's' row 2/);
    expect(() => writeParquet({})).toThrow(/at least one column/);
  });
});
