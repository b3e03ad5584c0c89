import { describe, expect, test } from 'vitest';
import { decide } from '../allocation/decide.js';
import { drOfDecisions, ipwOfDecisions, type RctOutcomes } from '../allocation/ipw.js';
import { createRng } from '../rng.js';
import { fitArmRidge, predictArmRidge } from './direct-model.js';

/** A small world: d features, m arms, mean outcomes linear in x plus a non-linear part, and Gaussian noise. */
function world(n: number, seed: number) {
  const d = 3;
  const m = 3;
  const rng = createRng(seed);
  const x = new Float64Array(n * d);
  for (let k = 0; k < x.length; k++) x[k] = rng.normal();
  const mu = { r: new Float64Array(n * m), c: new Float64Array(n * m) };
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      const [a, b, c] = [x[i * d]!, x[i * d + 1]!, x[i * d + 2]!];
      mu.r[i * m + j] = 2 + j * (1 + 0.8 * a - 0.5 * b) + 0.6 * Math.tanh(c * j);
      mu.c[i * m + j] = j * (0.5 + 0.2 * Math.abs(a));
    }
  return { d, m, x, mu };
}

/** One randomised experiment over the world's users: arms drawn with `p`, outcomes = mean + noise. */
function experiment(w: ReturnType<typeof world>, p: number[], seed: number): RctOutcomes {
  const n = w.x.length / w.d;
  const rng = createRng(seed);
  const arm = new Int32Array(n);
  const revenue = new Float64Array(n);
  const cost = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    const t = u < p[0]! ? 0 : u < p[0]! + p[1]! ? 1 : 2;
    arm[i] = t;
    revenue[i] = w.mu.r[i * w.m + t]! + 1.5 * rng.normal();
    cost[i] = Math.max(0, w.mu.c[i * w.m + t]! + 0.3 * rng.normal());
  }
  return { arm, revenue, cost, propensities: p };
}

describe('fitArmRidge', () => {
  test('recovers exactly linear outcomes (α → 0), per arm, and equals the normal equations on a tiny case', () => {
    const n = 300;
    const d = 2;
    const rng = createRng(3);
    const x = new Float64Array(n * d).map(() => rng.normal());
    const arm = new Int32Array(n).map((_, i) => i % 2);
    const revenue = new Float64Array(n).map((_, i) => (arm[i] ? 1 - 2 * x[i * d]! + 3 * x[i * d + 1]! : 5 + x[i * d]!));
    const cost = new Float64Array(n).map((_, i) => (arm[i] ? 0.5 * x[i * d + 1]! : 0));
    const fit = fitArmRidge(x, d, arm, revenue, cost, 2, 1e-10);
    const close = (a: ArrayLike<number>, b: number[]) => b.forEach((v, k) => expect(a[k]).toBeCloseTo(v, 6));
    close(fit.revenue, [5, 1, 0, 1, -2, 3]);
    close(fit.cost, [0, 0, 0, 0, 0, 0.5]);

    // α = 2 on two rows of one feature, arm 0 only: (XᵀX + diag(1e-9, 2)) β = Xᵀy by hand.
    const tiny = fitArmRidge([1, 3], 1, [0, 0], [2, 4], [0, 0], 1, 2);
    // XᵀX = [[2, 4], [4, 10]], Xᵀy = [6, 14]; with the penalty [[2, 4], [4, 12]] β = [6, 14] → β = [2, 0.5].
    expect(tiny.revenue[0]).toBeCloseTo(2, 6);
    expect(tiny.revenue[1]).toBeCloseTo(0.5, 6);
    const pred = predictArmRidge(tiny, [1, 3], 2);
    expect(pred.r[0]).toBeCloseTo(2.5, 6);
    expect(pred.r[1]).toBeCloseTo(3.5, 6);
  });

  test('an arm without rows predicts 0 (not NaN)', () => {
    const fit = fitArmRidge([1, 2], 1, [0, 0], [1, 2], [0, 0], 2);
    expect([...predictArmRidge(fit, [1.5], 1).r]).toEqual([expect.any(Number), 0]);
  });
});

describe('doubly robust value of decisions', () => {
  test('with a zero direct model it is the IPW value, bit for bit', () => {
    const w = world(500, 1);
    const rct = experiment(w, [0.5, 0.3, 0.2], 2);
    const decisions = decide({ n: 500, m: 3, r: w.mu.r, c: w.mu.c }, 1.5);
    const zero = { n: 500, m: 3, r: new Float64Array(1500), c: new Float64Array(1500) };
    expect(drOfDecisions(decisions, rct, zero)).toEqual(ipwOfDecisions(decisions, rct));
  });

  // 300 experiments over the same 2,000 users: the DR mean stays on the truth whatever the direct model (tolerance:
  // 4 standard errors of the mean over experiments), and a ridge fitted on another experiment's rows cuts the
  // variance of IPW by more than half (measured here: to 12 % of IPW's; the wrong model to 21 %).
  test('is unbiased with a wrong direct model, and a fitted ridge reduces the variance of IPW', () => {
    const n = 2000;
    const w = world(n, 5);
    const p = [0.5, 0.3, 0.2];
    const decisions = decide({ n, m: 3, r: w.mu.r, c: w.mu.c }, 1.2);
    let truth = 0;
    for (let i = 0; i < n; i++) truth += w.mu.r[i * 3 + decisions[i]!]! / n;
    const train = experiment(w, p, 999);
    const ridge = predictArmRidge(fitArmRidge(w.x, w.d, train.arm, train.revenue, train.cost, 3), w.x, n);
    const wrong = { n, m: 3, r: w.mu.r.map((v) => 0.5 * v + 1), c: w.mu.c.map((v) => v + 0.3) };
    const est = { ipw: [] as number[], dr: [] as number[], wrong: [] as number[] };
    for (let s = 0; s < 300; s++) {
      const rct = experiment(w, p, 10_000 + s);
      est.ipw.push(ipwOfDecisions(decisions, rct).revenue);
      est.dr.push(drOfDecisions(decisions, rct, ridge).revenue);
      est.wrong.push(drOfDecisions(decisions, rct, wrong).revenue);
    }
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const variance = (v: number[]) => mean(v.map((e) => (e - mean(v)) ** 2));
    for (const v of Object.values(est))
      expect(Math.abs(mean(v) - truth)).toBeLessThan(4 * Math.sqrt(variance(v) / 300));
    expect(variance(est.dr)).toBeLessThan(0.5 * variance(est.ipw));
  });
});
