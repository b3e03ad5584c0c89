import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.js';
import { LAMBDA_BINS, LAMBDA_MAX_EXP, LAMBDA_MIN_EXP, lambdaBin, lambdaBinEdges } from './lambda-bins.js';

/** The largest double below x > 0. */
function below(x: number): number {
  const f = new Float64Array([x]);
  const u = new BigUint64Array(f.buffer);
  u[0] = u[0]! - 1n;
  return f[0]!;
}

describe('lambda bins', () => {
  it('puts every edge in the bin that starts there and the double below it in the bin before', () => {
    for (let b = 1; b < LAMBDA_BINS; b++) {
      const { lower, upper } = lambdaBinEdges(b);
      expect(lambdaBin(lower)).toBe(b);
      expect(lambdaBin(below(lower))).toBe(b - 1);
      expect(lambdaBinEdges(b - 1).upper).toBe(lower);
      if (b < LAMBDA_BINS - 1) {
        // Quasi-logarithmic: 32 bins per octave, each spanning a factor 1 + 1/(32 + k), k = 0…31.
        expect(upper / lower).toBeGreaterThanOrEqual(1 + 1 / 64 - 1e-15);
        expect(upper / lower).toBeLessThanOrEqual(1 + 1 / 32 + 1e-15);
      }
    }
    expect(lambdaBinEdges(0)).toEqual({ lower: 0, upper: 2 ** LAMBDA_MIN_EXP });
    expect(lambdaBinEdges(LAMBDA_BINS - 1)).toEqual({ lower: 2 ** LAMBDA_MAX_EXP, upper: Infinity });
    expect(LAMBDA_BINS).toBe(32 * (LAMBDA_MAX_EXP - LAMBDA_MIN_EXP) + 2);
  });

  it('sends 0, tiny, huge and infinite λ to the overflow bins, and 1, 1.5 and 2 to their exact edges', () => {
    expect(lambdaBin(0)).toBe(0);
    expect(lambdaBin(Number.MIN_VALUE)).toBe(0);
    expect(lambdaBin(2 ** -70)).toBe(0);
    expect(lambdaBin(2 ** 70)).toBe(LAMBDA_BINS - 1);
    expect(lambdaBin(Number.MAX_VALUE)).toBe(LAMBDA_BINS - 1);
    expect(lambdaBin(Infinity)).toBe(LAMBDA_BINS - 1);
    const one = lambdaBin(1);
    expect(lambdaBinEdges(one).lower).toBe(1);
    expect(lambdaBinEdges(lambdaBin(1.5)).lower).toBe(1.5);
    expect(lambdaBin(2)).toBe(one + 32);
    expect(lambdaBinEdges(one).upper).toBe(1 + 1 / 32);
  });

  it('is non-decreasing in λ and each λ lies inside its bin (10k random values)', () => {
    const rng = createRng(6);
    const xs = Array.from({ length: 10_000 }, () => 2 ** (160 * rng.next() - 80)).sort((a, b) => a - b);
    let prev = 0;
    for (const x of xs) {
      const b = lambdaBin(x);
      expect(b).toBeGreaterThanOrEqual(prev);
      const { lower, upper } = lambdaBinEdges(b);
      expect(x >= lower && (x < upper || upper === Infinity)).toBe(true);
      prev = b;
    }
  });
});
