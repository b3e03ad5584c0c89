import { describe, expect, it } from 'vitest';
import { conjugateGradient } from './conjugate-gradient.js';
import { matVec, solveDense, testRng } from './test-rng.js';
import { norm } from './vector-ops.js';

/** A = MᵀM/n + shift·I with M standard normal: SPD, condition number ≈ (4 + shift)/shift. */
function randomSpd(n: number, shift: number, seed: number): Float64Array {
  const rng = testRng(seed);
  const m = Float64Array.from({ length: n * n }, rng.normal);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += (m[k * n + i] as number) * (m[k * n + j] as number);
      a[i * n + j] = s / n + (i === j ? shift : 0);
    }
  return a;
}

function unitRandom(n: number, seed: number): Float64Array {
  const rng = testRng(seed);
  const b = Float64Array.from({ length: n }, rng.normal);
  const nb = norm(b);
  return b.map((x) => x / nb);
}

describe('conjugateGradient', () => {
  it('solves a random 50×50 SPD system to a true residual < 1e-6 within 50 iterations', () => {
    const n = 50;
    const a = randomSpd(n, 0.1, 7);
    const b = unitRandom(n, 8);
    const res = conjugateGradient((v) => matVec(a, n, n, v), b, { maxIter: 50, tol: 1e-9 });
    const ax = matVec(a, n, n, res.x);
    const trueResidual = norm(ax.map((v, i) => v - (b[i] as number)));
    expect(res.negativeCurvature).toBe(false);
    expect(res.iterations).toBeLessThanOrEqual(50);
    expect(trueResidual).toBeLessThan(1e-6);
    const exact = solveDense(a, n, b);
    expect(norm(res.x.map((v, i) => v - (exact[i] as number))) / norm(exact)).toBeLessThan(1e-5);
  });

  it('solves the damped system (A + δI) x = b', () => {
    const n = 20;
    const a = randomSpd(n, 0.05, 3);
    const b = unitRandom(n, 4);
    const delta = 0.3;
    const res = conjugateGradient((v) => matVec(a, n, n, v), b, { maxIter: 100, tol: 1e-12, damping: delta });
    const ad = Float64Array.from(a);
    for (let i = 0; i < n; i++) ad[i * n + i] = (ad[i * n + i] as number) + delta;
    const exact = solveDense(ad, n, b);
    expect(norm(res.x.map((v, i) => v - (exact[i] as number))) / norm(exact)).toBeLessThan(1e-9);
  });

  it('stops at once on an indefinite matrix whose first direction has negative curvature, returning x = 0', () => {
    const d = [3, -1, -1, -1, -1]; // bᵀAb = 3 − 4 < 0 for b = 1
    const b = new Float64Array(d.length).fill(1);
    const res = conjugateGradient((v) => v.map((x, i) => x * (d[i] as number)), b, { maxIter: 10, tol: 1e-10 });
    expect(res.negativeCurvature).toBe(true);
    expect(res.iterations).toBe(0);
    expect(res.products).toBe(1);
    expect(Array.from(res.x)).toEqual([0, 0, 0, 0, 0]);
    expect(res.residualNorm).toBeCloseTo(norm(b), 12);
  });

  it('stops later on an indefinite matrix and returns the iterate before the bad direction', () => {
    const d = [4, 3, 2, 1, -0.1];
    const apply = (v: Float64Array): Float64Array => v.map((x, i) => x * (d[i] as number));
    const b = new Float64Array(d.length).fill(1);
    const res = conjugateGradient(apply, b, { maxIter: 10, tol: 1e-10 });
    expect(res.negativeCurvature).toBe(true);
    expect(res.iterations).toBeGreaterThanOrEqual(1);
    expect(res.products).toBe(res.iterations + 1);
    // Same iterate as CG capped at that many iterations (which never meets the bad direction).
    const capped = conjugateGradient(apply, b, { maxIter: res.iterations, tol: 1e-10 });
    expect(capped.negativeCurvature).toBe(false);
    expect(Array.from(res.x)).toEqual(Array.from(capped.x));
  });

  it('damping that makes the matrix positive definite removes the negative-curvature stop', () => {
    const d = [3, -1, -1, -1, -1];
    const b = new Float64Array(d.length).fill(1);
    const res = conjugateGradient((v) => v.map((x, i) => x * (d[i] as number)), b, {
      maxIter: 10,
      tol: 1e-10,
      damping: 1.5,
    });
    expect(res.negativeCurvature).toBe(false);
    // (A + 1.5 I) = diag(4.5, 0.5, …): x = b / diag.
    expect(res.x[0]).toBeCloseTo(1 / 4.5, 9);
    expect(res.x[1]).toBeCloseTo(2, 9);
  });
});
