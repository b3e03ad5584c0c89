import { describe, expect, test } from 'vitest';
import type { StagedPart } from '@bidfcl/contracts';
import { rowRange, selectRows } from './staged-rows.js';

const part: StagedPart = {
  n: 4,
  m: 2,
  numeric: { x: Float64Array.of(10, 11, 12, 13) },
  categorical: { city: ['a', 'b', 'c', 'd'] },
  arm: Int32Array.of(0, 1, 1, 0),
  revenue: Float64Array.of(1, 2, 3, 4),
  cost: Float64Array.of(0, 5, 6, 0),
  userId: ['u0', 'u1', 'u2', 'u3'],
  trueRevenue: Float64Array.of(0, 1, 2, 3, 4, 5, 6, 7),
  trueCost: Float64Array.of(0, 10, 0, 11, 0, 12, 0, 13),
};

describe('staged rows', () => {
  test('selectRows keeps the marked rows of every column, in order, with their m-wide truth rows', () => {
    const s = selectRows(part, Uint8Array.of(0, 1, 0, 1));
    expect(s.n).toBe(2);
    expect(s.m).toBe(2);
    expect(Array.from(s.numeric.x!)).toEqual([11, 13]);
    expect(s.categorical.city).toEqual(['b', 'd']);
    expect(Array.from(s.arm)).toEqual([1, 0]);
    expect(Array.from(s.revenue)).toEqual([2, 4]);
    expect(Array.from(s.cost)).toEqual([5, 0]);
    expect(s.userId).toEqual(['u1', 'u3']);
    expect(Array.from(s.trueRevenue!)).toEqual([2, 3, 6, 7]);
    expect(Array.from(s.trueCost!)).toEqual([0, 11, 0, 13]);
  });

  test('rowRange is the half-open range, and the part itself when the range is whole', () => {
    expect(rowRange(part, 0, 4)).toBe(part);
    const r = rowRange(part, 1, 3);
    expect(r.userId).toEqual(['u1', 'u2']);
    expect(Array.from(r.trueCost!)).toEqual([0, 11, 0, 12]);
    expect(rowRange(part, 4, 4).n).toBe(0);
  });
});
