import type { FeatureTable } from '@bidfcl/contracts';
import { describe, expect, it } from 'vitest';
import { readParquet, writeParquet } from '../table/parquet.js';
import { decodeFeatureTable, encodeFeatureTable } from './feature-table.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function table(n: number, d: number, m: number, extras: boolean): FeatureTable {
  const r = lcg(n * 31 + d);
  const t: FeatureTable = {
    n,
    d,
    m,
    x: Float32Array.from({ length: n * d }, () => r() * 4 - 2),
    arm: Int32Array.from({ length: n }, () => Math.floor(r() * m)),
    revenue: Float64Array.from({ length: n }, () => r() * 100),
    cost: Float64Array.from({ length: n }, () => r() * 5),
  };
  if (extras) {
    t.userId = Array.from({ length: n }, (_, i) => `user-${i}`);
    t.trueRevenue = Float64Array.from({ length: n * m }, () => r() * 50);
    t.trueCost = Float64Array.from({ length: n * m }, () => r());
  }
  return t;
}

describe('FeatureTable codec', () => {
  it('round-trips exactly, with and without user ids and true outcomes', () => {
    for (const [n, d, m, extras] of [
      [1000, 7, 4, true],
      [257, 3, 2, false],
      [5, 1, 8, true],
    ] as const) {
      const t = table(n, d, m, extras);
      const back = decodeFeatureTable(encodeFeatureTable(t), 'part.parquet');
      expect(back).toEqual(t);
      expect(back.x).toBeInstanceOf(Float32Array);
      expect(back.arm).toBeInstanceOf(Int32Array);
      expect(back.revenue).toBeInstanceOf(Float64Array);
      expect('userId' in back).toBe(extras);
    }
  });

  it('keeps m when an arm has no rows, and lays columns out as documented', () => {
    const t = table(10, 2, 5, false);
    t.arm.fill(0);
    const bytes = encodeFeatureTable(t);
    expect(decodeFeatureTable(bytes).m).toBe(5);
    const raw = readParquet(bytes, 'p');
    expect([...raw.columns.keys()]).toEqual(['f_0', 'f_1', 'arm', 'revenue', 'cost']);
    // f_j column i is x[i*d + j] (row-major x split into columns).
    const f1 = raw.columns.get('f_1')!.values as Float64Array;
    expect(f1[3]).toBe(t.x[3 * 2 + 1]);
  });

  it('handles zero rows and rejects inconsistent input', () => {
    const empty = table(0, 3, 2, true);
    expect(decodeFeatureTable(encodeFeatureTable(empty))).toEqual(empty);
    const bad = table(4, 2, 2, false);
    bad.x = new Float32Array(7);
    expect(() => encodeFeatureTable(bad)).toThrow(/x has length 7, expected 8/);
    expect(() => decodeFeatureTable(writeParquet({ a: new Float64Array(2) }), 'odd.parquet')).toThrow(
      /odd\.parquet: the number of arms is unknown/,
    );
    expect(() => decodeFeatureTable(new Uint8Array(20), 'junk.parquet')).toThrow(/junk\.parquet is not a Parquet file/);
  });
});
