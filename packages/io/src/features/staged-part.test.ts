import type { StagedPart } from '@bidfcl/contracts';
import { describe, expect, it } from 'vitest';
import { writeParquet } from '../table/parquet.js';
import { decodeStagedPart, encodeStagedPart } from './staged-part.js';

const staged = (withExtras: boolean): StagedPart => {
  const p: StagedPart = {
    n: 3,
    m: 2,
    numeric: { age: Float64Array.of(31.5, -2, 1e9), spend: Float64Array.of(0, 0.1, 7) },
    categorical: { city: ['Paris', '', 'Oslo'] },
    arm: Int32Array.of(1, 0, 1),
    revenue: Float64Array.of(3.25, 0, 12),
    cost: Float64Array.of(0.5, 0, 0.75),
  };
  if (withExtras) {
    p.userId = ['u1', 'u2', 'u3'];
    p.trueRevenue = Float64Array.of(1, 2, 3, 4, 5, 6);
    p.trueCost = Float64Array.of(0, 0.5, 0, 0.25, 0, 0.125);
  }
  return p;
};

describe('StagedPart codec', () => {
  it('round-trips exactly, with and without user ids and true outcomes', () => {
    for (const extras of [true, false]) {
      const p = staged(extras);
      expect(decodeStagedPart(encodeStagedPart(p), p.m)).toEqual(p);
    }
  });

  it('reads numeric categorical columns as their decimal text', () => {
    const bytes = writeParquet({
      'num:x': Float64Array.of(1, 2),
      'cat:zip': Float64Array.of(75001, 10115),
      arm: Int32Array.of(0, 1),
      revenue: Float64Array.of(0, 1),
      cost: Float64Array.of(0, 0),
    });
    expect(decodeStagedPart(bytes, 2).categorical).toEqual({ zip: ['75001', '10115'] });
  });

  it('names the missing column of a file that is not a staging file', () => {
    const bytes = writeParquet({ arm: Int32Array.of(0), revenue: Float64Array.of(1) });
    expect(() => decodeStagedPart(bytes, 2, 'runs/r/x.parquet')).toThrow(/lacks numeric column 'cost'/);
  });
});
