import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.js';
import { aucc, auccFromRoi } from './aucc.js';

const interp = { checkpoints: 'interpolated' } as const;

describe("AUCC 'interpolated', hand-computed", () => {
  // Treated A (roi 4, r 3, c 1), B (roi 1, r 1, c 2); control C (roi 3, r 0, c 0), D (roi 2, r 1, c 1).
  // Walk A, C, D, B; per-group sums / (N_T = 2, N_C = 2):
  // (0.5, 1.5), (0.5, 1.5), (0, 1), (1, 1.5). Totals Δcost 1, Δreward 1.5.
  const roi = [4, 1, 3, 2];
  const t = [1, 1, 0, 0];
  const reward = [3, 1, 0, 1];
  const cost = [1, 2, 0, 1];
  it('Q = 4: thresholds 0.25, 0.5, 0.75 are first reached on segments 1, 1, 4', () => {
    const r = auccFromRoi(roi, t, reward, cost, { quantiles: 4, ...interp });
    expect(r.deltaCostTotal).toBe(1);
    expect(r.deltaRewardTotal).toBe(1.5);
    expect(r.curve.x).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(r.curve.y).toEqual([0, 0.75, 1.5, 1.375, 1.5]);
    expect(r.aucc).toBeCloseTo(5.125 / 7.5, 15);
  });
  it('aucc(Δr̂, Δĉ) ranks by their ratio', () => {
    const deltaR = [8, 1, 6, 2]; // ratios 4, 1, 3, 2 with Δĉ = 2, 1, 2, 1
    const deltaC = [2, 1, 2, 1];
    expect(aucc(deltaR, deltaC, t, reward, cost, { quantiles: 4 }).aucc).toBe(
      auccFromRoi(roi, t, reward, cost, { quantiles: 4 }).aucc,
    );
  });
  it('Δĉ ≤ 0: positive Δr̂ ranks first, negative last', () => {
    // A: Δr̂ > 0 at Δĉ = 0 → first; B: Δr̂ < 0 at Δĉ < 0 → last; C, D ordinary
    const r1 = aucc([1, -1, 3, 2], [0, -5, 1, 1], t, reward, cost, { quantiles: 4 });
    expect(r1.aucc).toBe(auccFromRoi(roi, t, reward, cost, { quantiles: 4 }).aucc);
  });
  it('Q = 1: always 0.5 (origin and end point only)', () => {
    expect(auccFromRoi(roi, t, reward, cost, { quantiles: 1, ...interp }).aucc).toBe(0.5);
  });
});

/** Independent reference: polyline from sums over each tie-block prefix, thresholds searched from the start. */
function naiveAucc(roi: number[], t: number[], r: number[], c: number[], q: number): number {
  const n = roi.length;
  const nt = t.filter((v) => v === 1).length;
  const nc = n - nt;
  const levels = [...new Set(roi)].sort((a, b) => b - a);
  const px = [0];
  const py = [0];
  for (const level of levels) {
    let ct = 0;
    let cc = 0;
    let rt = 0;
    let rc = 0;
    for (let i = 0; i < n; i++) {
      if (roi[i]! < level) continue;
      if (t[i] === 1) {
        ct += c[i]!;
        rt += r[i]!;
      } else {
        cc += c[i]!;
        rc += r[i]!;
      }
    }
    px.push(ct / nt - cc / nc);
    py.push(rt / nt - rc / nc);
  }
  const totalC = px[px.length - 1]!;
  const totalR = py[py.length - 1]!;
  let sum = totalR;
  for (let j = 1; j < q; j++) {
    const tau = (j * totalC) / q;
    let s = 1;
    while (!(px[s - 1]! < tau && px[s]! >= tau)) s++;
    sum += py[s - 1]! + ((tau - px[s - 1]!) / (px[s]! - px[s - 1]!)) * (py[s]! - py[s - 1]!);
  }
  return sum / (totalR * (q + 1));
}

describe("AUCC 'interpolated': brute force on small random tables with ties", () => {
  it('matches the naive reference (40 tables, scores on a coarse grid)', () => {
    const rng = createRng(17);
    let checked = 0;
    for (let rep = 0; rep < 40; rep++) {
      const n = 30;
      const t = Array.from({ length: n }, (_, i) => (i < 2 ? i : rng.next() < 0.5 ? 1 : 0));
      const roi = Array.from({ length: n }, () => Math.round(rng.next() * 6) / 2);
      const c = t.map((ti) => (ti ? 1 + rng.next() : rng.next() * 0.5));
      const r = t.map((ti) => rng.next() * 2 + (ti ? 1 : 0));
      const ref = naiveAucc(roi, t, r, c, 7);
      const got = auccFromRoi(roi, t, r, c, { quantiles: 7, ...interp }).aucc;
      expect(got).toBeCloseTo(ref, 12);
      checked++;
    }
    expect(checked).toBe(40);
  });
});

describe("AUCC 'interpolated': ties", () => {
  it('a constant score gives exactly 0.5 (a straight line, not a step at the end)', () => {
    const rng = createRng(5);
    const n = 200;
    const t = Array.from({ length: n }, (_, i) => i % 2);
    const r = t.map((ti) => rng.next() + ti);
    const c = t.map((ti) => rng.next() + ti);
    expect(auccFromRoi(new Array(n).fill(1), t, r, c, interp).aucc).toBeCloseTo(0.5, 12);
  });
  it('the order of rows inside a tie block does not matter', () => {
    const roi = [2, 2, 2, 1, 1];
    const t = [1, 0, 1, 0, 1];
    const r = [3, 0, 1, 1, 0];
    const c = [2, 0, 1, 0, 1];
    const perm = [2, 1, 0, 4, 3];
    const a = auccFromRoi(roi, t, r, c, { quantiles: 10, ...interp });
    const b = auccFromRoi(
      perm.map((i) => roi[i]!),
      perm.map((i) => t[i]!),
      perm.map((i) => r[i]!),
      perm.map((i) => c[i]!),
      { quantiles: 10, ...interp },
    );
    expect(b.aucc).toBeCloseTo(a.aucc, 14);
  });
});

describe('AUCC on a 20k-row synthetic two-arm table', () => {
  // x ~ U(0, 1); treatment costs 1 on average and adds 2x reward, so the true ROI is 2x.
  // Ranking by x: Δcost(p) ≈ p, Δreward(p) ≈ 1 − (1 − p)² → AUCC ≈ 1 − (2Q + 1)/(6Q) = 0.66583 (Q = 200).
  const rng = createRng(2024);
  const n = 20_000;
  const x = new Float64Array(n);
  const t = new Uint8Array(n);
  const reward = new Float64Array(n);
  const cost = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = rng.next();
    t[i] = rng.next() < 0.5 ? 1 : 0;
    reward[i] = 1 + 2 * x[i]! * t[i]! + 0.5 * rng.normal();
    cost[i] = t[i]! * (1 + 0.3 * rng.normal());
  }
  it('random scores give 0.5 ± 0.05 (five seeds)', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const g = createRng(seed);
      const score = Float64Array.from({ length: n }, () => g.next());
      const value = auccFromRoi(score, t, reward, cost).aucc;
      expect(Math.abs(value - 0.5)).toBeLessThan(0.05);
    }
  });
  it('the perfect ranking (true ROI) beats random and is near its closed form', () => {
    const perfect = auccFromRoi(x, t, reward, cost);
    const g = createRng(99);
    const random = auccFromRoi(
      Float64Array.from({ length: n }, () => g.next()),
      t,
      reward,
      cost,
    );
    expect(perfect.aucc).toBeGreaterThan(random.aucc + 0.1);
    expect(Math.abs(perfect.aucc - (1 - 401 / 1200))).toBeLessThan(0.03);
    expect(perfect.curve.x).toHaveLength(201);
  });
  it('the reversed ranking is worse than random', () => {
    const rev = Float64Array.from(x, (v) => -v);
    expect(auccFromRoi(rev, t, reward, cost).aucc).toBeLessThan(0.45);
  });
});

describe('AUCC: input errors and warnings', () => {
  it('non-positive total incremental cost', () => {
    expect(() => auccFromRoi([1, 2, 3, 4], [1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 1])).toThrow(/incremental cost/);
  });
  it('zero total incremental reward', () => {
    expect(() => auccFromRoi([1, 2, 3, 4], [1, 1, 0, 0], [1, 1, 1, 1], [1, 1, 0, 0])).toThrow(/incremental reward/);
  });
  it('negative total incremental reward is allowed with a warning', () => {
    const r = auccFromRoi([1, 2, 3, 4], [1, 1, 0, 0], [0, 0, 1, 1], [1, 1, 0, 0], { quantiles: 4 });
    expect(r.warnings).toHaveLength(1);
    expect(Number.isFinite(r.aucc)).toBe(true);
  });
  it('bad quantiles, NaN score, missing group', () => {
    expect(() => auccFromRoi([1, 2], [1, 0], [1, 0], [1, 0], { quantiles: 0 })).toThrow(/quantiles/);
    expect(() => auccFromRoi([1, NaN], [1, 0], [1, 0], [1, 0])).toThrow(/row 1/);
    expect(() => auccFromRoi([1, 2], [1, 1], [1, 0], [1, 0])).toThrow(/no control/);
    expect(() => aucc([1, Infinity], [1, 1], [1, 0], [1, 0], [1, 0])).toThrow(/deltaR/);
  });
});
