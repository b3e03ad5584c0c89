import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.js';
import {
  arm0MeanCost,
  ipwArm0MeanCost,
  ipwRandomReference,
  ipwUniformRandomCost,
  oracleCapture,
  randomMixingProbability,
  randomReference,
  sampleRandomPolicy,
  uniformRandomCost,
} from './random-reference.js';

describe('random reference', () => {
  it('equals the brute-force expectation over all joint assignments', () => {
    const rng = createRng(31);
    for (let t = 0; t < 20; t++) {
      const n = 3;
      const m = 3;
      const r = Float64Array.from({ length: n * m }, () => 10 * rng.next());
      const c = Float64Array.from({ length: n * m }, (_, k) => (k % m === 0 ? 0 : 3 * rng.next()));
      const truth = { n, m, r, c };
      const U = uniformRandomCost(truth);
      const budget = rng.next() * 1.3 * U;
      const q = Math.min(1, budget / U); // the specified scaling (arm 0 free)
      // Enumerate all m^n joint assignments; user arm probability: arm 0 → (1 − q) + q/m, others q/m.
      let ev = 0;
      let ec = 0;
      for (let code = 0; code < m ** n; code++) {
        let x = code;
        let prob = 1;
        let v = 0;
        let k = 0;
        for (let i = 0; i < n; i++) {
          const j = x % m;
          x = Math.floor(x / m);
          prob *= j === 0 ? 1 - q + q / m : q / m;
          v += r[i * m + j]!;
          k += c[i * m + j]!;
        }
        ev += (prob * v) / n;
        ec += (prob * k) / n;
      }
      const res = randomReference(truth, budget);
      expect(res.q).toBeCloseTo(q, 12);
      expect(res.value).toBeCloseTo(ev, 10);
      expect(res.cost).toBeCloseTo(ec, 10);
      if (budget < U) expect(res.cost).toBeCloseTo(budget, 10);
    }
  });

  it('keeps the budget when arm 0 has a cost too', () => {
    // Arm costs per user: [1, 3] and [1, 5]: C0 = 1, U = (1+3+1+5)/4 = 2.5. Budget 2 → q = (2−1)/(2.5−1) = 2/3.
    const truth = { n: 2, m: 2, r: Float64Array.from([0, 3, 0, 6]), c: Float64Array.from([1, 3, 1, 5]) };
    const res = randomReference(truth, 2);
    expect(res.q).toBeCloseTo(2 / 3, 12);
    expect(res.cost).toBeCloseTo(2, 12);
    // value = q·mean(r) + (1−q)·mean(r0) = (2/3)·2.25 + (1/3)·0 = 1.5
    expect(res.value).toBeCloseTo(1.5, 12);
  });

  it('uniformRandomCost is mean_i mean_j c_ij', () => {
    expect(uniformRandomCost({ n: 2, m: 2, r: new Float64Array(4), c: Float64Array.from([0, 2, 0, 4]) })).toBe(1.5);
  });

  it('estimates the policy from RCT arm means', () => {
    // Arm 0 rows: revenue 1, 3 (mean 2), cost 0. Arm 1 rows: revenue 5, 7, 9 (mean 7), cost 2, 2, 5 (mean 3).
    const rct = {
      arm: Int32Array.from([0, 1, 0, 1, 1]),
      revenue: Float64Array.from([1, 5, 3, 7, 9]),
      cost: Float64Array.from([0, 2, 0, 2, 5]),
      propensities: [0.5, 0.5],
    };
    // Uniform cost = (0 + 3)/2 = 1.5; budget 0.75 → q = 0.5;
    // value = 0.5·(2 + 7)/2 + 0.5·2 = 2.25 + 1 = 3.25; cost = 0.5·1.5 = 0.75.
    expect(ipwUniformRandomCost(rct)).toBe(1.5);
    const res = ipwRandomReference(rct, 0.75);
    expect(res.q).toBe(0.5);
    expect(res.value).toBeCloseTo(3.25, 12);
    expect(res.cost).toBeCloseTo(0.75, 12);
    expect(() => ipwUniformRandomCost({ ...rct, arm: Int32Array.from([0, 0, 0, 0, 0]) })).toThrow(/no rows for arm 1/);
  });

  it('mixing probability: q·U + (1 − q)·C0 = B in closed form, clamped to [0, 1]', () => {
    // U = 5, C0 = 2: q = (B − 2)/3.
    expect(randomMixingProbability(3, 5, 2)).toBeCloseTo(1 / 3, 15);
    expect(randomMixingProbability(4.5, 5, 2)).toBeCloseTo(5 / 6, 15);
    for (const [budget, q] of [
      [3, 1 / 3],
      [4.5, 5 / 6],
      [2, 0],
      [5, 1],
    ] as const) {
      expect(q * 5 + (1 - q) * 2).toBeCloseTo(budget, 12);
      expect(randomMixingProbability(budget, 5, 2)).toBeCloseTo(q, 15);
    }
    expect(randomMixingProbability(1, 5, 2)).toBe(0); // below arm 0's cost: nobody is drawn
    expect(randomMixingProbability(7, 5, 2)).toBe(1); // above the uniform cost: everybody is
    expect(randomMixingProbability(1.25, 5, 0)).toBe(0.25); // arm 0 free: B / U
    expect(randomMixingProbability(1, 2, 2)).toBe(1); // random costs what arm 0 does: nothing to scale
    expect(randomMixingProbability(1, 1, 3)).toBe(1);
  });

  it("arm 0's cost: mean_i c_i0 on the truth, mean(y_c | t = 0) on the RCT", () => {
    expect(arm0MeanCost({ n: 2, m: 2, r: new Float64Array(4), c: Float64Array.from([1, 3, 2, 5]) })).toBe(1.5);
    expect(arm0MeanCost({ n: 0, m: 2, r: new Float64Array(0), c: new Float64Array(0) })).toBe(0);
    const rct = {
      arm: Int32Array.of(0, 1, 0),
      revenue: new Float64Array(3),
      cost: Float64Array.of(1, 9, 2),
      propensities: [0.5, 0.5],
    };
    expect(ipwArm0MeanCost(rct)).toBe(1.5);
    expect(() => ipwArm0MeanCost({ ...rct, arm: Int32Array.of(1, 1, 1) })).toThrow(/no rows for arm 0/);
  });

  it('samples the policy: seeded, arm 0 with probability 1 − q + q/m, every other arm q/m', () => {
    const n = 40000;
    const m = 4;
    const q = 0.6;
    const a = sampleRandomPolicy(n, m, q, 7);
    expect(sampleRandomPolicy(n, m, q, 7)).toEqual(a);
    expect(sampleRandomPolicy(n, m, q, 8)).not.toEqual(a);
    const counts = [0, 0, 0, 0];
    for (const j of a) counts[j]! += 1;
    // Each share is Binomial(40000, p)/40000: 4 standard errors ≤ 4·√(0.25/40000) = 0.01.
    expect(Math.abs(counts[0]! / n - (1 - q + q / m))).toBeLessThan(0.01);
    for (let j = 1; j < m; j++) expect(Math.abs(counts[j]! / n - q / m)).toBeLessThan(0.01);
    expect(sampleRandomPolicy(100, m, 0, 1).every((j) => j === 0)).toBe(true);
  });

  it('oracle capture', () => {
    expect(oracleCapture(12, 10, 15)).toBeCloseTo(0.4, 15);
    expect(oracleCapture(10, 10, 15)).toBe(0);
    expect(oracleCapture(15, 10, 15)).toBe(1);
    expect(oracleCapture(9, 10, 10)).toBeNaN();
  });
});
