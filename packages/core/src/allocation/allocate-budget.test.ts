import type { ScoreMatrix } from '@bidfcl/contracts';
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../rng.js';
import { allocateBudget, oracleAtBudget, trueValueAtBudget } from './allocate-budget.js';
import { decide } from './decide.js';
import { buildLagrangianPath } from './lagrangian-path.js';

/** Random instance; `integer` gives small integer values so that ties and collinear hull points are common. */
function instance(rng: Rng, n: number, m: number, opts: { freeArm0: boolean; integer: boolean }): ScoreMatrix {
  const r = new Float64Array(n * m);
  const c = new Float64Array(n * m);
  for (let k = 0; k < n * m; k++) {
    r[k] = opts.integer ? rng.int(5) : 10 * rng.next();
    c[k] = opts.integer ? rng.int(4) : 5 * rng.next();
    if (opts.freeArm0 && k % m === 0) c[k] = 0;
  }
  return { n, m, r, c };
}

/** Exhaustive multiple-choice knapsack: max Σ r under Σ c ≤ B over all m^n assignments (−∞ if infeasible). */
function bruteForce(s: ScoreMatrix, budgetTotal: number): number {
  const { n, m, r, c } = s;
  let best = -Infinity;
  const a = new Int32Array(n);
  const total = m ** n;
  for (let code = 0; code < total; code++) {
    let x = code;
    for (let i = 0; i < n; i++) {
      a[i] = x % m;
      x = Math.floor(x / m);
    }
    let rs = 0;
    let cs = 0;
    for (let i = 0; i < n; i++) {
      rs += r[i * m + a[i]!]!;
      cs += c[i * m + a[i]!]!;
    }
    if (cs <= budgetTotal && rs > best) best = rs;
  }
  return best;
}

const totalAt = (v: Float64Array, m: number, a: Int32Array) => a.reduce((s, j, i) => s + v[i * m + j]!, 0);
const minTotalCost = (s: ScoreMatrix) => {
  let t = 0;
  for (let i = 0; i < s.n; i++) t += Math.min(...Array.from(s.c.subarray(i * s.m, (i + 1) * s.m)));
  return t;
};

describe('allocateBudget', () => {
  it('never exceeds the budget and is within max r_ij of the brute-force optimum (600 tiny instances)', () => {
    const rng = createRng(20250101);
    let checked = 0;
    let exactOptimal = 0;
    for (let t = 0; t < 600; t++) {
      const n = 1 + rng.int(6);
      const m = 2 + rng.int(2);
      const s = instance(rng, n, m, { freeArm0: t % 3 !== 0, integer: t % 2 === 0 });
      let maxCost = 0;
      for (let i = 0; i < n; i++) maxCost += Math.max(...Array.from(s.c.subarray(i * m, (i + 1) * m)));
      const budgetTotal = rng.next() * 1.1 * maxCost;
      const res = allocateBudget(s, budgetTotal / n);
      const opt = bruteForce(s, budgetTotal);
      const cost = totalAt(s.c, m, res.assignment);
      const value = totalAt(s.r, m, res.assignment);
      expect(res.cost).toBeCloseTo(cost / n, 12);
      expect(res.value).toBeCloseTo(value / n, 12);
      if (minTotalCost(s) > budgetTotal) {
        // Infeasible: cheapest arms for everyone, flagged.
        expect(res.feasible).toBe(false);
        expect(opt).toBe(-Infinity);
        continue;
      }
      expect(res.feasible).toBe(true);
      expect(cost).toBeLessThanOrEqual(budgetTotal);
      // Lagrangian bound: OPT ≤ LP relaxation ≤ V + one fractional increment's Δr ≤ V + max r (r ≥ 0).
      expect(opt - value).toBeLessThanOrEqual(Math.max(...s.r) + 1e-9);
      expect(opt).toBeGreaterThanOrEqual(value - 1e-9);
      if (Math.abs(opt - value) < 1e-9) exactOptimal++;
      // Every decision is an argmax of r − λ*c (ties allowed at λ*).
      if (Number.isFinite(res.lambda)) {
        for (let i = 0; i < n; i++) {
          const row = i * m;
          const mine = s.r[row + res.assignment[i]!]! - res.lambda * s.c[row + res.assignment[i]!]!;
          for (let j = 0; j < m; j++)
            expect(s.r[row + j]! - res.lambda * s.c[row + j]!).toBeLessThanOrEqual(mine + 1e-9);
        }
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(500);
    // Sanity on the checker itself: the greedy is usually but not always exactly optimal.
    expect(exactOptimal).toBeGreaterThan(checked / 2);
  });

  it('fills the budget by switching users tied at λ*', () => {
    // Four identical users: arm 0 (r 0, c 0), arm 1 (r 2, c 1). Budget 0.5 per user = 2 in total.
    // All four are tied at λ = 2; exactly two can be switched.
    const s = {
      n: 4,
      m: 2,
      r: Float64Array.from([0, 2, 0, 2, 0, 2, 0, 2]),
      c: Float64Array.from([0, 1, 0, 1, 0, 1, 0, 1]),
    };
    const res = allocateBudget(s, 0.5);
    expect(res.lambda).toBe(2);
    expect(Array.from(res.assignment)).toEqual([1, 1, 0, 0]);
    expect(res.cost).toBe(0.5);
    expect(res.value).toBe(1);
  });

  it('returns λ = 0 when the unconstrained argmax fits, and flags infeasible budgets', () => {
    const s = { n: 2, m: 2, r: Float64Array.from([1, 3, 1, 2]), c: Float64Array.from([0, 1, 0, 1]) };
    const all = allocateBudget(s, 5);
    expect(all.lambda).toBe(0);
    expect(Array.from(all.assignment)).toEqual([1, 1]);
    const costly = { n: 1, m: 2, r: Float64Array.from([1, 3]), c: Float64Array.from([2, 3]) };
    const inf = allocateBudget(costly, 1);
    expect(inf.feasible).toBe(false);
    expect(inf.lambda).toBe(Infinity);
    expect(Array.from(inf.assignment)).toEqual([0]);
  });

  it('agrees with decide() at every λ strictly between breakpoints', () => {
    const rng = createRng(5);
    const s = instance(rng, 300, 5, { freeArm0: true, integer: false });
    const path = buildLagrangianPath(s);
    const slopes = Array.from(path.slope).sort((a, b) => b - a);
    // Walk the increments in order and compare the running assignment with decide() between breakpoints.
    const a = path.base.slice();
    for (let p = 0; p < path.order.length; p++) {
      const q = path.order[p]!;
      a[path.user[q]!] = path.to[q]!;
      const next = p + 1 < slopes.length ? slopes[p + 1]! : 0;
      if (next === slopes[p]) continue;
      const mid = 0.5 * (slopes[p]! + next);
      if (p % 37 === 0 || p === path.order.length - 1) expect(Array.from(decide(s, mid))).toEqual(Array.from(a));
    }
    expect(Array.from(decide(s, 1e9))).toEqual(Array.from(path.base));
  });

  it('handles 200k users × 8 arms', () => {
    const rng = createRng(9);
    const n = 200_000;
    const m = 8;
    const r = new Float64Array(n * m);
    const c = new Float64Array(n * m);
    for (let i = 0; i < n; i++) {
      for (let j = 1; j < m; j++) {
        c[i * m + j] = j * (0.2 + 0.1 * rng.next());
        r[i * m + j] = Math.log1p(3 * j * rng.next());
      }
    }
    const res = allocateBudget({ n, m, r, c }, 1);
    expect(res.cost).toBeLessThanOrEqual(1);
    // A continuous instance leaves at most one user's increment unspent: gap < max Δc / n ≈ 2.1/n.
    expect(1 - res.cost).toBeLessThan(3 / n);
  });
});

describe('trueValueAtBudget / oracleAtBudget', () => {
  it('never exceeds the TRUE budget, whatever the scores', () => {
    const rng = createRng(77);
    for (let t = 0; t < 300; t++) {
      const n = 1 + rng.int(8);
      const m = 2 + rng.int(3);
      const truth = instance(rng, n, m, { freeArm0: true, integer: t % 2 === 0 });
      const scores = instance(rng, n, m, { freeArm0: t % 4 !== 0, integer: t % 3 === 0 });
      const budget = rng.next() * 4;
      const res = trueValueAtBudget(scores, truth, budget);
      if (!res.feasible) {
        // Only possible when the scores' cheapest arms already cost too much in truth.
        expect(totalAt(truth.c, m, res.assignment)).toBeGreaterThan(budget * n);
        continue;
      }
      expect(totalAt(truth.c, m, res.assignment)).toBeLessThanOrEqual(budget * n);
      expect(res.cost * n).toBeCloseTo(totalAt(truth.c, m, res.assignment), 9);
      expect(res.value * n).toBeCloseTo(totalAt(truth.r, m, res.assignment), 9);
      // Decisions come from the scores' own hull: each is an argmax of r̂ − λĉ.
      if (Number.isFinite(res.lambda)) {
        for (let i = 0; i < n; i++) {
          const row = i * m;
          const mine = scores.r[row + res.assignment[i]!]! - res.lambda * scores.c[row + res.assignment[i]!]!;
          for (let j = 0; j < m; j++)
            expect(scores.r[row + j]! - res.lambda * scores.c[row + j]!).toBeLessThanOrEqual(mine + 1e-9);
        }
      }
    }
  });

  it('oracle is within max r of the brute-force optimum', () => {
    const rng = createRng(8);
    for (let t = 0; t < 200; t++) {
      const n = 1 + rng.int(6);
      const m = 2 + rng.int(2);
      const truth = instance(rng, n, m, { freeArm0: true, integer: false });
      const budget = rng.next() * 3;
      const oracle = oracleAtBudget(truth, budget);
      const opt = bruteForce(truth, budget * n);
      expect(oracle.cost * n).toBeLessThanOrEqual(budget * n + 1e-12);
      expect(opt - oracle.value * n).toBeLessThanOrEqual(Math.max(...truth.r) + 1e-9);
      expect(opt - oracle.value * n).toBeGreaterThanOrEqual(-1e-9);
    }
  });

  it('scores equal to the truth give the oracle; budget is met almost exactly on a large continuous case', () => {
    const rng = createRng(12);
    const truth = instance(rng, 5000, 4, { freeArm0: true, integer: false });
    const a = trueValueAtBudget(truth, truth, 1.0);
    const b = oracleAtBudget(truth, 1.0);
    expect(a.value).toBe(b.value);
    expect(b.cost).toBeLessThanOrEqual(1.0);
    expect(1.0 - b.cost).toBeLessThan(5 / 5000); // one increment (Δc ≤ 5) at most is left unspent
  });
});
