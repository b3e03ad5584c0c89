import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.js';
import { descendingOrder, tieBlockEnds } from './order.js';

/** Reference: comparison sort with explicit tie-breaking by index. */
function reference(score: number[], ties: 'first' | 'last'): number[] {
  return [...score.keys()].sort((a, b) => {
    if (score[a]! > score[b]!) return -1;
    if (score[a]! < score[b]!) return 1;
    return ties === 'first' ? a - b : b - a;
  });
}

describe('descendingOrder (radix sort on IEEE bits)', () => {
  it('matches a comparison sort on mixed signs, ties, ±0, ±Infinity, subnormals', () => {
    const s = [0, -0, 1.5, -1.5, Infinity, -Infinity, 5e-324, -5e-324, 1.5, 0, 1e300, -1e300, 2, 2, -0];
    for (const ties of ['first', 'last'] as const) {
      expect(Array.from(descendingOrder(s, ties))).toEqual(reference(s, ties));
    }
  });
  it('matches a comparison sort on random data with many ties', () => {
    const rng = createRng(8);
    for (let rep = 0; rep < 20; rep++) {
      const s = Array.from(
        { length: 500 },
        () => Math.round((rng.next() - 0.5) * 40) / 4 + (rep % 2 ? rng.next() * 1e-9 : 0),
      );
      for (const ties of ['first', 'last'] as const) {
        expect(Array.from(descendingOrder(s, ties))).toEqual(reference(s, ties));
      }
    }
  });
  it('empty and single-row inputs', () => {
    expect(Array.from(descendingOrder([], 'first'))).toEqual([]);
    expect(Array.from(descendingOrder([3], 'last'))).toEqual([0]);
  });
  it('tie-block ends', () => {
    const s = [3, 3, 2, 1, 1, 1];
    expect(Array.from(tieBlockEnds(descendingOrder(s, 'first'), s))).toEqual([1, 2, 5]);
  });
});
