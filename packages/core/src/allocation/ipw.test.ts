import { describe, expect, it } from 'vitest';
import { eomAtBudget, ipwLambda, ipwValueAtLambda, type RctOutcomes } from './ipw.js';

/*
 * Hand-computed EOM fixture: 4 users, 2 arms, p = [0.5, 0.5], every arm 0 free, arm 1 costs 1 (predicted).
 *   user  r̂ = [r0, r1]  breakpoint r̂1 − r̂0   factual t   y_r  y_c
 *   0     [1, 3]        2                     1           4    1
 *   1     [1, 2]        1                     1           2    1
 *   2     [1, 5]        4                     0           1    0
 *   3     [1, 1.5]      0.5                   1           3    1
 * A user takes arm 1 when λ < its breakpoint. IPW: c̄ = (1/4) Σ_matched y_c / 0.5 = 0.5 Σ_matched y_c, same for r̄.
 *   λ > 4:       decisions 0000, matched {2}        → c̄ = 0,            r̄ = 0.5·1 = 0.5
 *   2 < λ < 4:   decisions 0010, matched {}         → c̄ = 0,            r̄ = 0
 *   1 < λ < 2:   decisions 1010, matched {0}        → c̄ = 0.5·1 = 0.5,  r̄ = 0.5·4 = 2
 *   0.5 < λ < 1: decisions 1110, matched {0,1}      → c̄ = 0.5·2 = 1.0,  r̄ = 0.5·(4+2) = 3
 *   λ < 0.5:     decisions 1111, matched {0,1,3}    → c̄ = 0.5·3 = 1.5,  r̄ = 0.5·(4+2+3) = 4.5
 * So EOM(B/N = 1.0) = 3 (exact match), EOM(1.2) = 3 (closest from below is 1.0), EOM(0.7) = 2 (0.5 from below),
 * EOM(2) = 4.5 at λ = 0 (c̄(0) = 1.5 is already under budget).
 */
const scores = {
  n: 4,
  m: 2,
  r: Float64Array.from([1, 3, 1, 2, 1, 5, 1, 1.5]),
  c: Float64Array.from([0, 1, 0, 1, 0, 1, 0, 1]),
};
const rct: RctOutcomes = {
  arm: Int32Array.from([1, 1, 0, 1]),
  revenue: Float64Array.from([4, 2, 1, 3]),
  cost: Float64Array.from([1, 1, 0, 1]),
  propensities: [0.5, 0.5],
};

describe('ipwValueAtLambda', () => {
  it('matches the hand-computed table', () => {
    expect(ipwValueAtLambda(scores, rct, 5)).toEqual({ revenue: 0.5, cost: 0 });
    expect(ipwValueAtLambda(scores, rct, 3)).toEqual({ revenue: 0, cost: 0 });
    expect(ipwValueAtLambda(scores, rct, 1.5)).toEqual({ revenue: 2, cost: 0.5 });
    expect(ipwValueAtLambda(scores, rct, 0.75)).toEqual({ revenue: 3, cost: 1 });
    expect(ipwValueAtLambda(scores, rct, 0.25)).toEqual({ revenue: 4.5, cost: 1.5 });
  });

  it('rejects mismatched inputs', () => {
    expect(() => ipwValueAtLambda(scores, { ...rct, propensities: [1] }, 0)).toThrow();
    expect(() => ipwValueAtLambda(scores, { ...rct, arm: Int32Array.from([0, 1, 2, 0]) }, 0)).toThrow();
    expect(() => ipwValueAtLambda(scores, { ...rct, propensities: [0, 1] }, 0)).toThrow();
  });
});

describe('eomAtBudget / ipwLambda', () => {
  it('reproduces the hand-computed EOM', () => {
    const exact = eomAtBudget(scores, rct, 1.0);
    expect(exact.eom).toBe(3);
    expect(exact.cost).toBe(1);
    expect(exact.lambda).toBeGreaterThan(0.5);
    expect(exact.lambda).toBeLessThan(1);
    expect(eomAtBudget(scores, rct, 1.2)).toMatchObject({ eom: 3, cost: 1 });
    const low = eomAtBudget(scores, rct, 0.7);
    expect(low).toMatchObject({ eom: 2, cost: 0.5 });
    expect(low.lambda).toBeGreaterThan(1);
    expect(low.lambda).toBeLessThan(2);
    expect(eomAtBudget(scores, rct, 2)).toEqual({ lambda: 0, eom: 4.5, cost: 1.5 });
    expect(eomAtBudget(scores, rct, 0)).toMatchObject({ cost: 0 });
  });

  it('meets B/N within the tolerance when the IPW cost is fine-grained', () => {
    // 2000 users, arms alternate; arm 1 users have y_c = 1 and distinct scores r̂_i1 = i/2000 (ĉ_i1 = 1).
    // c̄(λ) = (2/N)·#{t_i = 1, r̂_i1 > λ}: steps of 0.001, so any target is met within tol = 0.0015.
    const n = 2000;
    const r = new Float64Array(2 * n);
    const c = new Float64Array(2 * n);
    const arm = new Int32Array(n);
    const revenue = new Float64Array(n);
    const cost = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      r[2 * i + 1] = (i + 0.5) / n;
      c[2 * i + 1] = 1;
      arm[i] = i % 2;
      cost[i] = arm[i]!;
      revenue[i] = 1 + (i % 7);
    }
    const s = { n, m: 2, r, c };
    const data = { arm, revenue, cost, propensities: [0.5, 0.5] };
    for (const target of [0.1, 0.3123, 0.77]) {
      const res = ipwLambda(s, data, target, { tol: 0.0015 });
      expect(Math.abs(res.cost - target)).toBeLessThan(0.0015);
      expect(ipwValueAtLambda(s, data, res.lambda)).toEqual({ revenue: res.revenue, cost: res.cost });
      // With this construction λ ≈ 1 − target (the share of arm-1 users above λ).
      expect(Math.abs(res.lambda - (1 - target))).toBeLessThan(0.002);
    }
  });

  it('without a zero-cost arm expands λ and returns the cheapest decisions it found', () => {
    const s = { n: 2, m: 2, r: Float64Array.from([1, 2, 1, 2]), c: Float64Array.from([1, 2, 1, 2]) };
    const data = {
      arm: Int32Array.from([0, 1]),
      revenue: Float64Array.from([1, 2]),
      cost: Float64Array.from([1, 2]),
      propensities: [0.5, 0.5],
    };
    // Everyone on arm 0 costs c̄ = (1/2)·(1/0.5) = 1 > 0.5: the budget cannot be met.
    const res = ipwLambda(s, data, 0.5);
    expect(res.cost).toBe(1);
    expect(res.revenue).toBe(1);
  });
});
