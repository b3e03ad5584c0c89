import { describe, expect, test } from 'vitest';
import { mergeStats, partStats, stdOf } from './stats.js';
import { part } from './test-parts.js';

describe('feature statistics', () => {
  test('merged moments equal the moments of the concatenation (population std)', () => {
    const a = part([1, 2, 3], ['p', 'q', 'p'], [0, 1, 0]);
    const b = part([10, -4], ['r', 'p'], [1, 1]);
    const merged = mergeStats([partStats(a), partStats(b)], 2);
    const all = [1, 2, 3, 10, -4];
    const mean = all.reduce((s, x) => s + x, 0) / all.length;
    const sd = Math.sqrt(all.reduce((s, x) => s + (x - mean) ** 2, 0) / all.length);
    expect(merged.rows).toBe(5);
    expect(merged.armCounts).toEqual([2, 3]);
    expect(merged.numeric.x!.sum / merged.rows).toBeCloseTo(mean, 12);
    expect(stdOf(merged.numeric.x!, merged.rows)).toBeCloseTo(sd, 12);
    expect(merged.categorical.city).toEqual({ p: 3, q: 1, r: 1 });
    // revenue = 2x, cost = arm/2: Σ = 24, Σ² = 4·130 = 520; cost Σ = 1.5, Σ² = 3·0.25.
    expect(merged.revenue).toEqual({ sum: 24, sumSq: 520 });
    expect(merged.cost).toEqual({ sum: 1.5, sumSq: 0.75 });
  });

  test('merging nothing gives empty statistics with m zero arm counts', () => {
    expect(mergeStats([], 3)).toEqual({
      rows: 0,
      armCounts: [0, 0, 0],
      numeric: {},
      categorical: {},
      revenue: { sum: 0, sumSq: 0 },
      cost: { sum: 0, sumSq: 0 },
    });
  });

  test('a constant column or fewer than two rows is left unscaled (std 1)', () => {
    expect(stdOf({ sum: 6, sumSq: 12 }, 3)).toBe(1); // (2, 2, 2)
    expect(stdOf({ sum: 5, sumSq: 25 }, 1)).toBe(1);
    expect(stdOf({ sum: 4, sumSq: 10 }, 2)).toBe(1); // (1, 3): mean 2, variance 1
    expect(stdOf({ sum: 0, sumSq: 8 }, 2)).toBe(2); // (−2, 2)
  });
});
