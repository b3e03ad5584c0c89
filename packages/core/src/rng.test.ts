import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from './rng.js';

describe('createRng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xa = Array.from({ length: 100 }, () => a.next());
    const xb = Array.from({ length: 100 }, () => b.next());
    const xc = Array.from({ length: 100 }, () => c.next());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
    // Large and negative seeds are distinct from their 32-bit truncations.
    expect(createRng(2 ** 32 + 5).next()).not.toBe(createRng(5).next());
    expect(createRng(-1).next()).not.toBe(createRng(2 ** 32 - 1).next());
  });

  it('draws uniform [0,1) with the right first two moments', () => {
    const rng = createRng(7);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      s += u;
      s2 += u * u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    // Standard error of the mean is sqrt(1/12/n) ≈ 0.00065; 0.004 is > 6 standard errors.
    expect(Math.abs(s / n - 0.5)).toBeLessThan(0.004);
    expect(Math.abs(s2 / n - (s * s) / n / n - 1 / 12)).toBeLessThan(0.002);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
  });

  it('draws standard normals (mean 0, variance 1, tail share)', () => {
    const rng = createRng(11);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let tail = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      s += z;
      s2 += z * z;
      if (Math.abs(z) > 1.96) tail++;
    }
    // se(mean) = 0.0022, se(var) ≈ sqrt(2/n) = 0.0032, se(tail share) ≈ sqrt(.05·.95/n) = 0.0005.
    expect(Math.abs(s / n)).toBeLessThan(0.012);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.016);
    expect(Math.abs(tail / n - 0.05)).toBeLessThan(0.003);
  });

  it('int(n) covers 0..n−1 evenly and shuffle permutes', () => {
    const rng = createRng(3);
    const counts = new Array<number>(5).fill(0);
    for (let i = 0; i < 50_000; i++) counts[rng.int(5)]! += 1;
    // Each count ~ 10000 ± 89 (binomial sd); 500 is > 5 sd.
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(() => rng.int(0)).toThrow();
    const a = Int32Array.from({ length: 50 }, (_, i) => i);
    rng.shuffle(a);
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(a)).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});

describe('deriveSeed', () => {
  it('is deterministic and separates labels', () => {
    expect(deriveSeed(0, 'split', 'rct')).toBe(deriveSeed(0, 'split', 'rct'));
    const seeds = new Set([
      deriveSeed(0, 'split', 'rct'),
      deriveSeed(0, 'split', 'obs'),
      deriveSeed(1, 'split', 'rct'),
      deriveSeed(0, 'epoch', 1),
      deriveSeed(0, 'epoch', '1'),
      deriveSeed(0, 'rct', 'split'),
      deriveSeed(0),
    ]);
    expect(seeds.size).toBe(7);
    const s = deriveSeed(5, 'x');
    expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });

  it('gives streams that are uncorrelated', () => {
    const a = createRng(deriveSeed(9, 'a'));
    const b = createRng(deriveSeed(9, 'b'));
    const n = 50_000;
    let sab = 0;
    for (let i = 0; i < n; i++) sab += a.normal() * b.normal();
    // Correlation estimate has sd 1/sqrt(n) ≈ 0.0045.
    expect(Math.abs(sab / n)).toBeLessThan(0.025);
  });
});
