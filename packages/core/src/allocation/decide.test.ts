import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';

const mat = (rows: Array<{ r: number[]; c: number[] }>) => ({
  n: rows.length,
  m: rows[0]!.r.length,
  r: Float64Array.from(rows.flatMap((x) => x.r)),
  c: Float64Array.from(rows.flatMap((x) => x.c)),
});

describe('decide', () => {
  it('takes argmax r − λc', () => {
    const s = mat([
      { r: [1, 3, 4], c: [0, 1, 2] }, // λ=1.5: 1, 1.5, 1 → arm 1
      { r: [1, 1.2, 5], c: [0, 1, 2] }, // λ=1.5: 1, −0.3, 2 → arm 2
      { r: [2, 3, 4], c: [0, 1, 2] }, // λ=1.5: 2, 1.5, 1 → arm 0
    ]);
    expect(Array.from(decide(s, 1.5))).toEqual([1, 2, 0]);
    expect(Array.from(decide(s, 0))).toEqual([2, 2, 2]);
  });

  it('breaks ties by lower cost, then lower index', () => {
    const s = mat(
      [
        { r: [1, 2], c: [0, 1] }, // λ=1: 1 vs 1 → lower cost arm 0
        { r: [2, 1], c: [1, 0] }, // λ=1: 1 vs 1 → lower cost arm 1 (higher index)
        { r: [3, 3], c: [2, 2] }, // identical → lower index 0
        { r: [0, 5, 5], c: [0, 2, 2] }, // arms 1 and 2 identical → 1
      ].map((x) => ({
        r: [...x.r, ...(x.r.length === 2 ? [-100] : [])],
        c: [...x.c, ...(x.c.length === 2 ? [0] : [])],
      })),
    );
    expect(Array.from(decide(s, 1))).toEqual([0, 1, 0, 1]);
  });

  it('writes into a provided buffer', () => {
    const s = mat([{ r: [0, 1], c: [0, 1] }]);
    const out = new Int32Array(3).fill(9);
    const res = decide(s, 0.5, out);
    expect(res).toBe(out);
    expect(out[0]).toBe(1);
    expect(() =>
      decide(
        mat([
          { r: [0], c: [0] },
          { r: [0], c: [0] },
        ]),
        0,
        new Int32Array(1),
      ),
    ).toThrow();
  });
});
