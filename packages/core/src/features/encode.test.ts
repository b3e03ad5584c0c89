import { describe, expect, test } from 'vitest';
import { encodePart, featureNamesFor, fitEncoding } from './encode.js';
import { partStats } from './stats.js';
import { part } from './test-parts.js';

describe('feature encoding', () => {
  test('standardises numerics and one-hot encodes with the training vocabulary (unseen → all zeros)', () => {
    const names = featureNamesFor(['x'], { city: ['p', 'q'] }, ['city']);
    expect(names).toEqual(['x', 'city=p', 'city=q']);
    const enc = { featureNames: names, mean: [3, 0, 0], std: [2, 1, 1], vocab: { city: ['p', 'q'] } };
    const t = encodePart(part([1, 3, 5], ['q', 'zz', 'p'], [0, 1, 1]), enc, ['x'], ['city']);
    expect(t.d).toBe(3);
    expect(Array.from(t.x)).toEqual([-1, 0, 1, 0, 0, 0, 1, 1, 0]);
    expect(Array.from(t.arm)).toEqual([0, 1, 1]);
    expect(t.userId).toBeUndefined();
  });

  test('carries user ids and true outcomes through', () => {
    const extras = { userId: ['u'], trueRevenue: Float64Array.of(1, 2), trueCost: Float64Array.of(0, 3) };
    const p = { ...part([1], ['p'], [1]), ...extras };
    const t = encodePart(p, fitEncoding(partStats(p), ['x'], ['city']), ['x'], ['city']);
    expect(t.userId).toEqual(['u']);
    expect(Array.from(t.trueRevenue!)).toEqual([1, 2]);
    expect(Array.from(t.trueCost!)).toEqual([0, 3]);
  });

  test('fits the sorted vocabulary, the mean and the population std of the training rows', () => {
    // x = 1, 2, 6: mean 3, variance (4 + 1 + 9)/3 = 14/3.
    const enc = fitEncoding(partStats(part([1, 2, 6], ['q', 'p', 'q'], [0, 1, 0])), ['x'], ['city']);
    expect(enc.vocab).toEqual({ city: ['p', 'q'] });
    expect(enc.featureNames).toEqual(['x', 'city=p', 'city=q']);
    expect(enc.mean).toEqual([3, 0, 0]);
    expect(enc.std[0]).toBeCloseTo(Math.sqrt(14 / 3), 12);
    expect(enc.std.slice(1)).toEqual([1, 1]);
    const t = encodePart(part([1, 2, 6], ['q', 'p', 'q'], [0, 1, 0]), enc, ['x'], ['city']);
    const xs = [0, 1, 2].map((i) => t.x[i * 3]!);
    expect(xs.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 6);
    expect(xs.reduce((a, b) => a + b * b, 0) / 3).toBeCloseTo(1, 6);
  });

  test('a categorical column absent from training gets no indicators', () => {
    const enc = fitEncoding(partStats(part([1, 2], ['p', 'q'], [0, 1])), ['x'], ['city', 'region']);
    expect(enc.vocab).toEqual({ city: ['p', 'q'], region: [] });
    expect(enc.featureNames).toEqual(['x', 'city=p', 'city=q']);
  });
});
