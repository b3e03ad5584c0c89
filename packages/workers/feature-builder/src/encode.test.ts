import { describe, expect, test } from 'vitest';
import { runConfigSchema } from '@bidfcl/contracts';
import { encodePart, featureNamesFor } from './encode.js';
import { carveDestinations } from './part.js';
import { mergeStats, partStats, stdOf } from './stats.js';
import type { StagedPart } from './staging.js';

const part = (xs: number[], cats: string[], arms: number[]): StagedPart => ({
  n: xs.length,
  m: 2,
  numeric: { x: Float64Array.from(xs) },
  categorical: { city: cats },
  arm: Int32Array.from(arms),
  revenue: Float64Array.from(xs.map((x) => x * 2)),
  cost: Float64Array.from(arms.map((a) => a * 0.5)),
});

describe('feature statistics and encoding', () => {
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
    expect(stdOf({ sum: 6, sumSq: 12 }, 3)).toBe(1); // a constant column (2, 2, 2) is left unscaled
  });

  test('standardises numerics and one-hot encodes with the training vocabulary (unseen → all zeros)', () => {
    const names = featureNamesFor(['x'], { city: ['p', 'q'] }, ['city']);
    expect(names).toEqual(['x', 'city=p', 'city=q']);
    const t = encodePart(part([1, 3, 5], ['q', 'zz', 'p'], [0, 1, 1]), { featureNames: names, mean: [3, 0, 0], std: [2, 1, 1], vocab: { city: ['p', 'q'] } }, ['x'], ['city']);
    expect(t.d).toBe(3);
    expect(Array.from(t.x)).toEqual([-1, 0, 1, 0, 0, 0, 1, 1, 0]);
    expect(Array.from(t.arm)).toEqual([0, 1, 1]);
  });

  test('carving val/test from RCT is seeded, disjoint and covers every row', () => {
    const config = runConfigSchema.parse({
      runId: 'r',
      seed: 3,
      dataset: { name: 'd', splits: { rct: ['a.csv'] }, columns: { arm: 't', revenue: 'y', cost: 'c', features: ['x'] }, arms: [{ name: 'a' }, { name: 'b' }], valFraction: 0.2, testFraction: 0.3 },
    });
    const n = 20000;
    const dest = carveDestinations(config, 'rct', 0, n);
    const again = carveDestinations(config, 'rct', 0, n);
    expect(dest).toEqual(again);
    let total = 0;
    for (let i = 0; i < n; i++) total += dest.rct![i]! + dest.val![i]! + dest.test![i]!;
    expect(total).toBe(n);
    const share = (s: Uint8Array) => s.reduce((a, b) => a + b, 0) / n;
    // Binomial(20000, p) shares: 4 standard errors ≈ 0.013.
    expect(share(dest.test!)).toBeCloseTo(0.3, 1);
    expect(Math.abs(share(dest.val!) - 0.2)).toBeLessThan(0.013);
    expect(Math.abs(share(dest.test!) - 0.3)).toBeLessThan(0.013);
    const other = carveDestinations({ ...config, seed: 4 }, 'rct', 0, n);
    expect(other.val).not.toEqual(dest.val);
    // A split that is given stays whole.
    expect(carveDestinations(config, 'obs', 0, 5)).toEqual({ obs: new Uint8Array(5).fill(1) });
  });
});
