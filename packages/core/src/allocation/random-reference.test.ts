import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.js';
import {
  ipwRandomReference,
  ipwUniformRandomCost,
  oracleCapture,
  randomReference,
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

  it('oracle capture', () => {
    expect(oracleCapture(12, 10, 15)).toBeCloseTo(0.4, 15);
    expect(oracleCapture(10, 10, 15)).toBe(0);
    expect(oracleCapture(15, 10, 15)).toBe(1);
    expect(oracleCapture(9, 10, 10)).toBeNaN();
  });
});
