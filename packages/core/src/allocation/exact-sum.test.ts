import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.js';
import { EXACT_LIMBS, ExactSums } from './exact-sum.js';
import { scaledBigInt } from './test-bigint.js';

const scaled = scaledBigInt;

/** The exact value an accumulator holds, times 2^1074. */
function held(s: ExactSums, k: number): bigint {
  const limbs = s.limbsOf(k);
  expect(limbs.length).toBe(EXACT_LIMBS);
  let v = 0n;
  for (let q = EXACT_LIMBS - 1; q >= 0; q--) v = (v << 32n) + BigInt(limbs[q]!);
  return v;
}

/** Doubles over the whole range: subnormals, tiny, ordinary and huge magnitudes, both signs. */
function wild(rng: ReturnType<typeof createRng>): number {
  const kind = rng.int(5);
  const sign = rng.next() < 0.5 ? -1 : 1;
  if (kind === 0) return sign * rng.int(1000) * Number.MIN_VALUE; // subnormal
  if (kind === 1) return sign * rng.next() * 2 ** (rng.int(2000) - 1000);
  if (kind === 2) return sign * (1 + rng.next()) * 2 ** 1000;
  return sign * rng.next() * 100;
}

describe('ExactSums', () => {
  it('holds the exact sum of doubles across the whole range (BigInt reference, 2000 values)', () => {
    const rng = createRng(1);
    const xs = Array.from({ length: 2000 }, () => wild(rng));
    const s = new ExactSums(2);
    for (const x of xs) s.add(1, x);
    expect(held(s, 1)).toBe(xs.reduce((a, x) => a + scaled(x), 0n));
    expect(held(s, 0)).toBe(0n);
  });

  it('gives the same limbs for any order and any split merged with addSum', () => {
    const rng = createRng(2);
    const xs = Array.from({ length: 3000 }, () => wild(rng));
    const whole = new ExactSums(1);
    for (const x of xs) whole.add(0, x);
    const shuffled = xs.slice();
    rng.shuffle(shuffled);
    const parts = new ExactSums(3);
    shuffled.forEach((x, p) => parts.add(p % 3, x));
    const merged = new ExactSums(1);
    for (const k of [2, 0, 1]) merged.addSum(0, parts, k);
    expect(Array.from(merged.limbsOf(0))).toEqual(Array.from(whole.limbsOf(0)));
    merged.addSum(0, parts, 1, -1);
    expect(held(merged, 0)).toBe(held(parts, 0) + held(parts, 2));
  });

  it('stays exact past the point where limbs would overflow 2^53 without normalising (2^21 + 3 additions)', () => {
    // 53 one bits starting at bit 11 of a limb (2^−7 = 2^(32·33 + 11 − 1074)): the next limb gets 2^32 − 1 per
    // addition, an odd number, so a limb past 2^53 would round.
    const x = (2 ** 53 - 1) * 2 ** -7;
    const s = new ExactSums(1);
    const count = 2 ** 21 + 3;
    for (let k = 0; k < count; k++) s.add(0, x);
    expect(held(s, 0)).toBe(BigInt(count) * scaled(x));
  });

  it('compares exactly where a double sum rounds the wrong way', () => {
    const s = new ExactSums(1);
    for (let k = 0; k < 10; k++) s.add(0, 0.1);
    // The double 0.1 is above 1/10, so ten of them exceed 1, although the naive sum is 0.9999999999999999.
    expect(s.compare(0, 1)).toBe(1);
    s.add(0, -1);
    expect(s.compare(0, 0)).toBe(1);
    const t = new ExactSums(1);
    t.add(0, 2 ** 60);
    t.add(0, 1);
    t.add(0, -(2 ** 60));
    expect(t.compare(0, 1)).toBe(0);
    expect(t.compare(0, 1 + 2 ** -52)).toBe(-1);
    expect(new ExactSums(1).compare(0, 0)).toBe(0);
    expect(new ExactSums(1).compare(0, -Number.MIN_VALUE)).toBe(1);
  });

  it('rounds to a double within 2 ulps of the exact value, negative sums included', () => {
    const rng = createRng(3);
    for (let t = 0; t < 200; t++) {
      const xs = Array.from({ length: 50 }, () => (rng.next() - 0.5) * 2 ** (rng.int(80) - 40));
      const s = new ExactSums(1);
      for (const x of xs) s.add(0, x);
      const exact = held(s, 0);
      const got = s.toNumber(0);
      const diff = scaled(got) - exact;
      const abs = (v: bigint) => (v < 0n ? -v : v);
      // |got − exact| ≤ 2 · 2^−52 · |exact|, in units of 2^−1074
      expect(abs(diff) * 2n ** 51n <= abs(exact)).toBe(true);
    }
    expect(new ExactSums(1).toNumber(0)).toBe(0);
  });

  it('refuses non-finite values', () => {
    expect(() => new ExactSums(1).add(0, Infinity)).toThrow(/non-finite/);
    expect(() => new ExactSums(1).add(0, NaN)).toThrow(/non-finite/);
  });
});
