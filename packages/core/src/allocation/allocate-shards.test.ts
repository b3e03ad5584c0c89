import type { ScoreMatrix } from '@bidfcl/contracts';
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../rng.js';
import { allocateBudget } from './allocate-budget.js';
import { allocateShards } from './allocate-shards.js';
import { assignShard, predictedOutcomes } from './assign-shard.js';
import { listBinBreakpoints } from './bin-breakpoints.js';
import { buildLagrangianPath } from './lagrangian-path.js';
import { LAMBDA_BINS, lambdaBin } from './lambda-bins.js';
import { mergeSummaries, scanShard } from './shard-scan.js';
import { coarseRound, fineRound, type AllocationThreshold } from './threshold.js';
import { scaledBigInt } from './test-bigint.js';

// Costs and budgets are compared exactly: every double is an integer multiple of 2^−1074, so sums are done
// on BigInt multiples of it. Revenue comparisons (optimality) use a relative tolerance of 1e-9.

const big = scaledBigInt;

type Kind = 'integer' | 'tenths' | 'continuous';

/**
 * Random scores. 'integer': small integers (equal slopes across users, collinear hull points, equal costs);
 * 'tenths': multiples of 0.1 (ties, and sums that doubles round); 'continuous': uniform (no ties).
 */
function instance(rng: Rng, n: number, m: number, kind: Kind): ScoreMatrix {
  const r = new Float64Array(n * m);
  const c = new Float64Array(n * m);
  for (let k = 0; k < n * m; k++) {
    if (kind === 'integer') {
      r[k] = rng.int(6);
      c[k] = rng.int(4);
    } else if (kind === 'tenths') {
      r[k] = 0.3 * rng.int(8);
      c[k] = 0.1 * rng.int(10);
    } else {
      r[k] = 10 * rng.next();
      c[k] = 5 * rng.next();
    }
    if (k % m === 0 && rng.next() < 0.7) c[k] = 0; // a free arm 0, as the caller zeroes zero-cost arms
  }
  return { n, m, r, c };
}

/** Distinct 53-bit keys, or keys from {0, 1, 2} so that many users collide. */
function randomKeys(rng: Rng, n: number, collide: boolean): Float64Array {
  return Float64Array.from({ length: n }, () => (collide ? rng.int(3) : Math.floor(rng.next() * 2 ** 53)));
}

function rowsOf(s: ScoreMatrix, users: number[]): ScoreMatrix {
  const { m } = s;
  const r = new Float64Array(users.length * m);
  const c = new Float64Array(users.length * m);
  users.forEach((i, k) => {
    r.set(s.r.subarray(i * m, (i + 1) * m), k * m);
    c.set(s.c.subarray(i * m, (i + 1) * m), k * m);
  });
  return { n: users.length, m, r, c };
}

/** Users split over `shards` shards: scattered at random, or contiguous with random (possibly empty) sizes. */
function split(rng: Rng, n: number, shards: number, contiguous: boolean): number[][] {
  const parts: number[][] = Array.from({ length: shards }, () => []);
  if (contiguous) {
    const cuts = Array.from({ length: shards - 1 }, () => rng.int(n + 1)).sort((a, b) => a - b);
    for (let i = 0, s = 0; i < n; i++) {
      while (s < shards - 1 && i >= cuts[s]!) s++;
      parts[s]!.push(i);
    }
  } else {
    for (let i = 0; i < n; i++) parts[rng.int(shards)]!.push(i);
  }
  return parts;
}

/** Runs the sharded allocation on a split and returns the threshold and the arms in the original user order. */
function sharded(s: ScoreMatrix, keys: Float64Array, parts: number[][], budget: number) {
  const res = allocateShards(
    parts.map((users) => ({ scores: rowsOf(s, users), tieKeys: Float64Array.from(users, (i) => keys[i]!) })),
    budget,
  );
  const arms = new Int32Array(s.n).fill(-1);
  parts.forEach((users, k) => users.forEach((i, p) => (arms[i] = res.assignments[k]![p]!)));
  return { threshold: res.threshold, arms };
}

interface Reference {
  status: AllocationThreshold['status'];
  lambda: number;
  tieKey: number;
  quota: number;
  arms: Int32Array;
  /** The stopping group's exact cost (0 unless constrained). */
  stopCost: bigint;
}

/**
 * The rule of docs/method.md §7 written out directly on the single-process path's increments (no bins, no
 * shards), in exact BigInt arithmetic: sort by (λ desc, tie key asc), take groups of equal (λ, tie key) while the
 * exact total stays ≤ budget.
 */
function reference(s: ScoreMatrix, keys: Float64Array, budget: number): Reference {
  const { m, c } = s;
  const path = buildLagrangianPath(s);
  const arms = path.base.slice();
  const B = big(budget);
  let total = 0n;
  for (let i = 0; i < s.n; i++) total += big(c[i * m + arms[i]!]!);
  if (total > B) return { status: 'infeasible', lambda: Infinity, tieKey: -Infinity, quota: 0, arms, stopCost: 0n };
  const inc = Array.from(path.slope, (_, q) => q);
  const delta = (q: number) => big(c[path.user[q]! * m + path.to[q]!]!) - big(c[path.user[q]! * m + path.from[q]!]!);
  inc.sort((a, b) => path.slope[b]! - path.slope[a]! || keys[path.user[a]!]! - keys[path.user[b]!]!);
  let quota = 0;
  for (let pos = 0; pos < inc.length;) {
    const l = path.slope[inc[pos]!]!;
    const t = keys[path.user[inc[pos]!]!]!;
    if (pos > 0 && l !== path.slope[inc[pos - 1]!]) quota = 0;
    let end = pos;
    let group = 0n;
    while (end < inc.length && path.slope[inc[end]!] === l && keys[path.user[inc[end]!]!] === t)
      group += delta(inc[end++]!);
    if (total + group > B) return { status: 'constrained', lambda: l, tieKey: t, quota, arms, stopCost: group };
    for (let p = pos; p < end; p++) arms[path.user[inc[p]!]!] = path.to[inc[p]!]!;
    total += group;
    quota += end - pos;
    pos = end;
  }
  return { status: 'unconstrained', lambda: 0, tieKey: Infinity, quota: 0, arms, stopCost: 0n };
}

/** The largest single upgrade cost over all users' hulls, exactly. */
function maxUpgradeCost(s: ScoreMatrix): bigint {
  const path = buildLagrangianPath(s);
  let max = 0n;
  for (let q = 0; q < path.slope.length; q++) {
    const d = big(s.c[path.user[q]! * s.m + path.to[q]!]!) - big(s.c[path.user[q]! * s.m + path.from[q]!]!);
    if (d > max) max = d;
  }
  return max;
}

const exactCost = (s: ScoreMatrix, arms: Int32Array) =>
  Array.from(arms).reduce((t, a, i) => t + big(s.c[i * s.m + a]!), 0n);
const valueOf = (s: ScoreMatrix, arms: Int32Array) => Array.from(arms).reduce((t, a, i) => t + s.r[i * s.m + a]!, 0);

/** Exhaustive multiple-choice knapsack: max Σ r under exact Σ c ≤ B over all m^n assignments (−∞ if none). */
function bruteForce(s: ScoreMatrix, B: bigint): number {
  const { n, m, r, c } = s;
  let best = -Infinity;
  for (let code = 0; code < m ** n; code++) {
    let x = code;
    let rs = 0;
    let cs = 0n;
    for (let i = 0; i < n; i++) {
      const j = x % m;
      x = Math.floor(x / m);
      rs += r[i * m + j]!;
      cs += big(c[i * m + j]!);
    }
    if (cs <= B && rs > best) best = rs;
  }
  return best;
}

/** The cost of the cheapest arms (base) and of the costliest hull arms (top), plain double sums. */
function randomBudgetRange(s: ScoreMatrix): { base: number; top: number } {
  const path = buildLagrangianPath(s);
  let base = 0;
  for (let i = 0; i < s.n; i++) base += s.c[i * s.m + path.base[i]!]!;
  let top = base;
  for (let q = 0; q < path.slope.length; q++) {
    top += s.c[path.user[q]! * s.m + path.to[q]!]! - s.c[path.user[q]! * s.m + path.from[q]!]!;
  }
  return { base, top };
}

/** A budget between the cheapest and the costliest hull arms, sometimes exactly at one of them or below. */
function randomBudget(rng: Rng, s: ScoreMatrix): number {
  const { base: lo, top: hi } = randomBudgetRange(s);
  const u = rng.next();
  if (u < 0.05) return lo;
  if (u < 0.1) return hi;
  if (u < 0.15) return lo - 0.5;
  return lo + (hi - lo) * 1.05 * rng.next();
}

describe('allocateShards: the sharded exact allocation', () => {
  it('is the Lagrangian optimum for its spend, meets the budget, nears the brute-force optimum (600 cases)', () => {
    const rng = createRng(901);
    let constrained = 0;
    for (let t = 0; t < 600; t++) {
      const n = 1 + rng.int(6);
      const m = 1 + rng.int(3);
      const kind: Kind = (['integer', 'tenths', 'continuous'] as const)[t % 3]!;
      const s = instance(rng, n, m, kind);
      const keys = randomKeys(rng, n, false);
      const budget = randomBudget(rng, s);
      const { threshold, arms } = sharded(s, keys, split(rng, n, 1 + rng.int(3), t % 2 === 0), budget);
      const B = big(budget);
      let cheapest = 0n;
      for (let i = 0; i < n; i++) cheapest += big(Math.min(...s.c.subarray(i * m, (i + 1) * m)));
      expect(threshold.status === 'infeasible').toBe(cheapest > B);
      if (threshold.status === 'infeasible') {
        expect(bruteForce(s, B)).toBe(-Infinity);
        continue;
      }
      const cost = exactCost(s, arms);
      expect(cost <= B).toBe(true);
      expect(threshold.cost).toBeCloseTo(
        Array.from(arms).reduce((x, a, i) => x + s.c[i * m + a]!, 0),
        9,
      );
      const value = valueOf(s, arms);
      // λ* certificate: the arms maximise Σ r among all assignments that spend no more than they do.
      expect(Math.abs(bruteForce(s, cost) - value)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(value)));
      // Lagrangian bound: the optimum at the budget is above by at most one upgrade's revenue (r ≥ 0 here).
      expect(bruteForce(s, B) - value).toBeLessThanOrEqual(Math.max(...s.r) + 1e-9);
      if (threshold.status === 'constrained') {
        constrained++;
        expect(B - cost < maxUpgradeCost(s)).toBe(true);
      } else {
        expect(threshold.lambda).toBe(0);
      }
    }
    expect(constrained).toBeGreaterThan(250);
  });
});

describe('allocateShards: the same λ* and arms however the users are sharded', () => {
  const same = (a: AllocationThreshold, b: AllocationThreshold) => {
    expect([a.status, a.lambda, a.tieKey, a.quota, a.cost]).toEqual([b.status, b.lambda, b.tieKey, b.quota, b.cost]);
  };

  it(
    '1, 2, 3 and 8 shards (scattered, contiguous, uneven, empty), one process with the same tie keys, ' +
      'and the exact reference agree (300 cases)',
    () => {
      const rng = createRng(902);
      const seen = { constrained: 0, tiedQuota: 0, collidingStop: 0 };
      for (let t = 0; t < 300; t++) {
        const kind: Kind = (['integer', 'tenths', 'continuous'] as const)[t % 3]!;
        const n = rng.int(t % 10 === 0 ? 5 : 250);
        const m = 1 + rng.int(8);
        const s = instance(rng, n, m, kind);
        const keys = randomKeys(rng, n, t % 4 === 3);
        const budgetPerUser = n === 0 ? rng.next() - 0.2 : randomBudget(rng, s) / n;
        const budget = budgetPerUser * n; // what allocateBudget multiplies out
        const ref = reference(s, keys, budget);
        const one = sharded(s, keys, [Array.from({ length: n }, (_, i) => i)], budget);
        expect(one.threshold.status).toBe(ref.status);
        expect([one.threshold.lambda, one.threshold.tieKey, one.threshold.quota]).toEqual([
          ref.lambda,
          ref.tieKey,
          ref.quota,
        ]);
        expect(Array.from(one.arms)).toEqual(Array.from(ref.arms));
        for (const shards of [2, 3, 8]) {
          for (const contiguous of [false, true]) {
            const other = sharded(s, keys, split(rng, n, shards, contiguous), budget);
            same(other.threshold, one.threshold);
            expect(Array.from(other.arms)).toEqual(Array.from(one.arms));
          }
        }
        const single = allocateBudget(s, budgetPerUser, { tieKeys: keys });
        expect(single.lambda).toBe(one.threshold.lambda);
        expect(Array.from(single.assignment)).toEqual(Array.from(one.arms));
        expect(single.feasible).toBe(one.threshold.status !== 'infeasible');
        if (ref.status === 'constrained') {
          seen.constrained++;
          if (ref.quota > 0) seen.tiedQuota++;
          const cost = exactCost(s, one.arms);
          expect(cost <= big(budget)).toBe(true);
          // The gap is below the stopping group's cost: one upgrade unless tie keys collide.
          expect(big(budget) - cost < ref.stopCost).toBe(true);
          if (ref.stopCost > maxUpgradeCost(s)) seen.collidingStop++;
        }
      }
      expect(seen.constrained).toBeGreaterThan(150);
      expect(seen.tiedQuota).toBeGreaterThan(30); // ties at λ* split by the quota are common with integer scores
    },
  );

  it('gives the default allocateBudget’s λ* and arms when no two slopes tie (continuous scores)', () => {
    const rng = createRng(903);
    for (let t = 0; t < 100; t++) {
      const n = 1 + rng.int(400);
      const s = instance(rng, n, 2 + rng.int(7), 'continuous');
      // Strictly inside (base, top): at the very ends the default path's plain double sums may round the other way.
      const lo = randomBudgetRange(s);
      const budgetPerUser = (lo.base + (lo.top - lo.base) * (0.01 + 0.98 * rng.next())) / n;
      const withKeys = allocateBudget(s, budgetPerUser, { tieKeys: randomKeys(rng, n, false) });
      const today = allocateBudget(s, budgetPerUser);
      expect(withKeys.lambda).toBe(today.lambda);
      expect(Array.from(withKeys.assignment)).toEqual(Array.from(today.assignment));
      expect(withKeys.cost).toBeCloseTo(today.cost, 12);
    }
  });
});

describe('allocateShards: edge cases', () => {
  const two = (rows: Array<[number[], number[]]>): ScoreMatrix => ({
    n: rows.length,
    m: rows[0]![0].length,
    r: Float64Array.from(rows.flatMap((x) => x[0])),
    c: Float64Array.from(rows.flatMap((x) => x[1])),
  });

  it('reports an infeasible budget, and spends exactly the base or the top cost at the limits', () => {
    // Base cost 1 + 2 = 3; top cost 3 + 2 + 4 = 9.
    const s = two([
      [
        [1, 4],
        [1, 3],
      ],
      [
        [0, 2],
        [2, 6],
      ],
    ]);
    const keys = Float64Array.from([5, 7]);
    const inf = allocateShards([{ scores: s, tieKeys: keys }], 2.999).threshold;
    expect(inf).toMatchObject({ status: 'infeasible', lambda: Infinity, tieKey: -Infinity, cost: 3, baseCost: 3 });
    expect(allocateBudget(s, 2.999 / 2, { tieKeys: keys })).toMatchObject({ feasible: false, lambda: Infinity });
    const atBase = allocateShards([{ scores: s, tieKeys: keys }], 3);
    expect(atBase.threshold).toMatchObject({ status: 'constrained', lambda: 1.5, cost: 3, quota: 0 });
    expect(Array.from(atBase.assignments[0]!)).toEqual([0, 0]);
    const atTop = allocateShards([{ scores: s, tieKeys: keys }], 9);
    expect(atTop.threshold).toMatchObject({ status: 'unconstrained', lambda: 0, cost: 9, topCost: 9 });
    expect(Array.from(atTop.assignments[0]!)).toEqual([1, 1]);
    expect(allocateShards([{ scores: s, tieKeys: keys }], Infinity).threshold.status).toBe('unconstrained');
    expect(allocateShards([{ scores: s, tieKeys: keys }], -Infinity).threshold.status).toBe('infeasible');
    expect(() => allocateShards([{ scores: s, tieKeys: keys }], NaN)).toThrow(/NaN/);
    expect(() => allocateShards([{ scores: s, tieKeys: Float64Array.from([1, NaN]) }], 5)).toThrow(/tie key is NaN/);
    const below = allocateShards([{ scores: s, tieKeys: keys }], 8.5);
    expect(below.threshold).toMatchObject({ status: 'constrained', lambda: 0.5, cost: 5 });
    expect(Array.from(below.assignments[0]!)).toEqual([1, 0]);
  });

  it('takes users tied at λ* in tie-key order and stops at the first that does not fit (prefix rule)', () => {
    // Five identical users, upgrade Δc 2 at λ = 1.5; then a user whose upgrade costs 1 at the same λ.
    const rows: Array<[number[], number[]]> = [];
    for (let k = 0; k < 5; k++)
      rows.push([
        [0, 3],
        [0, 2],
      ]);
    rows.push([
      [0, 1.5],
      [0, 1],
    ]);
    const s = two(rows);
    const keys = Float64Array.from([40, 10, 30, 20, 50, 60]);
    const res = allocateShards([{ scores: s, tieKeys: keys }], 5);
    // Keys 10 and 20 fit (cost 4); key 30 does not (6 > 5): stop, although the user with key 60 would fit.
    expect(res.threshold).toMatchObject({ status: 'constrained', lambda: 1.5, tieKey: 30, quota: 2, cost: 4 });
    expect(Array.from(res.assignments[0]!)).toEqual([0, 1, 0, 1, 0, 0]);
  });

  it('upgrades users whose tie keys collide together or not at all', () => {
    const s = two([
      [
        [0, 2],
        [0, 1],
      ],
      [
        [0, 2],
        [0, 1],
      ],
      [
        [0, 2],
        [0, 1],
      ],
    ]);
    const keys = Float64Array.from([3, 1, 1]);
    const res = allocateShards([{ scores: s, tieKeys: keys }], 1.5);
    expect(res.threshold).toMatchObject({ lambda: 2, tieKey: 1, quota: 0, cost: 0 });
    expect(Array.from(res.assignments[0]!)).toEqual([0, 0, 0]);
    expect(Array.from(allocateShards([{ scores: s, tieKeys: keys }], 2).assignments[0]!)).toEqual([0, 1, 1]);
  });

  it('handles an empty population, empty shards and single-arm users', () => {
    const empty = { n: 0, m: 3, r: new Float64Array(0), c: new Float64Array(0) };
    const none = new Float64Array(0);
    expect(allocateShards([], 0).threshold.status).toBe('unconstrained');
    expect(allocateShards([{ scores: empty, tieKeys: none }], -1).threshold.status).toBe('infeasible');
    const one = { n: 2, m: 3, r: Float64Array.from([1, 0, 0, 2, 2, 2]), c: Float64Array.from([1, 1, 1, 1, 1, 1]) };
    const res = allocateShards(
      [
        { scores: empty, tieKeys: none },
        { scores: one, tieKeys: Float64Array.from([1, 2]) },
      ],
      2,
    );
    // Equal costs: the hull is one arm (the highest revenue, then the lowest index), so nobody has an upgrade.
    expect(res.threshold).toMatchObject({ status: 'unconstrained', cost: 2 });
    expect(Array.from(res.assignments[0]!)).toEqual([]);
    expect(Array.from(res.assignments[1]!)).toEqual([0, 0]);
    const single = { n: 2, m: 1, r: Float64Array.from([1, 2]), c: Float64Array.from([1, 1]) };
    expect(allocateShards([{ scores: single, tieKeys: Float64Array.from([1, 2]) }], 1.5).threshold.status).toBe(
      'infeasible',
    );
  });

  it('is exact with breakpoints on bin edges, in both overflow bins, at λ = 0 and λ = +∞ (every budget step)', () => {
    const lambdas = [1, 1, 2, 1.5, 1 + 1 / 32, 3, 2 ** -64, 2 ** 64, 2 ** -70, 2 ** 70, 2 ** -64, 2 ** 64];
    const rows: Array<[number[], number[]]> = lambdas.map((l) => [
      [0, l],
      [0, 1],
    ]);
    rows.push([
      [0, Number.MIN_VALUE],
      [0, 4],
    ]); // λ = 2^−1074 / 4 rounds to 0
    rows.push([
      [0, 1e300],
      [0, 1e-10],
    ]); // λ overflows to +∞
    rows.push([
      [0, 1, 3],
      [0, 1, 2],
    ]); // λ = 1 then 2, i.e. both on edges
    const s = two(rows.map(([r, c]) => [r.concat(r.length === 2 ? [-1] : []), c.concat(c.length === 2 ? [5] : [])]));
    const path = buildLagrangianPath(s);
    expect(Array.from(path.slope)).toContain(0);
    expect(Array.from(path.slope)).toContain(Infinity);
    const bins = new Set(Array.from(path.slope, lambdaBin));
    expect(bins.has(0) && bins.has(LAMBDA_BINS - 1)).toBe(true);
    const rng = createRng(904);
    const keys = randomKeys(rng, s.n, false);
    for (let b2 = 0; b2 <= 2 * 20; b2++) {
      const budget = b2 / 2 + (b2 === 3 ? 1e-10 : 0);
      const ref = reference(s, keys, budget);
      for (const shards of [1, 2, 3, 8]) {
        const got = sharded(s, keys, split(rng, s.n, shards, false), budget);
        expect(got.threshold.status).toBe(ref.status);
        expect([got.threshold.lambda, got.threshold.tieKey, got.threshold.quota]).toEqual([
          ref.lambda,
          ref.tieKey,
          ref.quota,
        ]);
        expect(Array.from(got.arms)).toEqual(Array.from(ref.arms));
      }
    }
  });

  it('runs round by round as a distributed flow would, and refuses a fine round that misses a shard’s list', () => {
    const rng = createRng(905);
    const s = instance(rng, 60, 4, 'continuous');
    const keys = randomKeys(rng, 60, false);
    const parts = [0, 1, 2].map((k) => Array.from({ length: 20 }, (_, i) => 20 * k + i));
    const shardScores = parts.map((users) => rowsOf(s, users));
    const scans = shardScores.map((x) => scanShard(x));
    const summary = mergeSummaries(scans.map((x) => x.summary));
    const { base, top } = randomBudgetRange(s);
    const budget = (base + top) / 2;
    const coarse = coarseRound(summary, budget);
    if (coarse.kind !== 'bin') throw new Error('expected a fine round');
    const lists = parts.map((users, k) =>
      listBinBreakpoints(shardScores[k]!, scans[k]!, keys.subarray(20 * k, 20 * k + 20), coarse.bin),
    );
    expect(lists.reduce((t, l) => t + l.lambda.length, 0)).toBe(coarse.count);
    expect(() => fineRound(coarse, lists.slice(1))).toThrow(/upgrades listed/);
    const threshold = fineRound(coarse, lists.slice().reverse());
    const arms = parts.flatMap((_, k) =>
      Array.from(assignShard(shardScores[k]!, scans[k]!.hulls, keys.subarray(20 * k, 20 * k + 20), threshold)),
    );
    const ref = reference(s, keys, budget);
    expect(threshold.lambda).toBe(ref.lambda);
    expect(arms).toEqual(Array.from(ref.arms));
    expect(summary.users).toBe(60);
    expect(summary.upgrades).toBe(buildLagrangianPath(s).slope.length);
  });

  it('reads predicted revenue, cost and uplift against arm 0', () => {
    const s = two([
      [
        [1, 4, 6],
        [0, 2, 5],
      ],
      [
        [2, 3, 1],
        [1, 1.5, 0.5],
      ],
    ]);
    const p = predictedOutcomes(s, Int32Array.from([2, 0]));
    expect(Array.from(p.revenue)).toEqual([6, 2]);
    expect(Array.from(p.cost)).toEqual([5, 1]);
    expect(Array.from(p.upliftRevenue)).toEqual([5, 0]);
    expect(Array.from(p.upliftCost)).toEqual([5, 0]);
    expect(() => predictedOutcomes(s, Int32Array.from([3, 0]))).toThrow(/arm 3/);
  });
});
