import { describe, expect, test } from 'vitest';
import type { StagedPart } from '@bidfcl/contracts';
import { encodePart, fitEncoding } from './encode.js';
import { encodingMismatch, numericNamesOf, reencodeFeatures } from './reencode.js';
import { partStats } from './stats.js';

const part = (a: number[], b: number[], city: string[], userId?: string[]): StagedPart => ({
  n: a.length,
  m: 2,
  numeric: { a: Float64Array.from(a), b: Float64Array.from(b) },
  categorical: { city },
  arm: Int32Array.from(a.map((_, i) => i % 2)),
  revenue: Float64Array.from(a),
  cost: Float64Array.from(b),
  ...(userId ? { userId } : {}),
});

// Two runs' training splits: different moments and vocabularies, so every column changes between them.
const runA = part([1, 2, 6, 9], [0, 10, 20, 50], ['p', 'q', 'q', 'r']);
const runB = part([4, 5, 11], [3, 3, 7], ['q', 's', 's']);
const encA = fitEncoding(partStats(runA), ['a', 'b'], ['city']);
const encB = fitEncoding(partStats(runB), ['a', 'b'], ['city']);

describe('re-encoding a feature table for another encoding', () => {
  test('equals encoding the raw rows with the other encoding directly (values both vocabularies know)', () => {
    const raw = part([3, 7, -2, 0.5], [1, 4, 9, 2], ['q', 'p', 'r', 'q'], ['u1', 'u2', 'u3', 'u4']);
    const viaA = encodePart(raw, encA, ['a', 'b'], ['city']);
    const out = reencodeFeatures(viaA, encA, encB);
    // city=p and city=r are unknown to B (all zeros there), city=s unknown to A: 0 after re-encoding too.
    const direct = encodePart(raw, encB, ['a', 'b'], ['city']);
    expect(out.d).toBe(encB.featureNames.length);
    expect(out.n).toBe(4);
    for (let i = 0; i < out.x.length; i++) expect(out.x[i]).toBeCloseTo(direct.x[i]!, 5);
    expect(out.userId).toEqual(['u1', 'u2', 'u3', 'u4']);
    expect(out.arm).toBe(viaA.arm);
  });

  test('the same encoding gives the same bits, not a round trip through float arithmetic', () => {
    const t = encodePart(part([0.1, 0.7], [0.3, 1e-3], ['p', 'q']), encA, ['a', 'b'], ['city']);
    expect(Array.from(reencodeFeatures(t, encA, encA).x)).toEqual(Array.from(t.x));
  });

  test('a value only the target encoding knows reads as unknown (the source encoded it as all zeros)', () => {
    const raw = part([4], [3], ['s']);
    const out = reencodeFeatures(encodePart(raw, encA, ['a', 'b'], ['city']), encA, encB);
    const s = encB.featureNames.indexOf('city=s');
    expect(out.x[s]).toBe(0);
  });

  test('missing numeric features or categorical columns are named, and re-encoding refuses', () => {
    const only = fitEncoding(partStats({ ...runA, numeric: { a: runA.numeric.a! }, categorical: {} }), ['a'], []);
    expect(numericNamesOf(only)).toEqual(['a']);
    expect(numericNamesOf(encA)).toEqual(['a', 'b']);
    expect(encodingMismatch(encA, only)).toBeUndefined();
    expect(encodingMismatch(only, encA)).toBe('the table lacks numeric feature(s) b and categorical column(s) city');
    const t = encodePart({ ...runA, numeric: { a: runA.numeric.a! }, categorical: {} }, only, ['a'], []);
    expect(() => reencodeFeatures(t, only, encA)).toThrow(/cannot re-encode features: the table lacks numeric/);
  });
});
