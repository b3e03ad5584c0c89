import * as tf from '@tensorflow/tfjs';
import { createRng, ipwValueAtLambda } from '@bidfcl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { difdLoss, ifdValueGradient, pifdLoss, type IfdOptions } from './ifd-losses.js';
import { batchOf } from './test-batches.js';

beforeAll(async () => {
  await initBackend();
});

describe('ifdValueGradient (docs/method.md §3.4)', () => {
  it('matched and mismatched rows, hMin clipping and the hMax window, by hand', () => {
    const m = 3;
    // Row 0: matched (t = ĵ = 1), gaps: to arm 0 → 0.5, to arm 2 → 0.02 (clipped to hMin 0.05), boundary 0.02.
    // Row 1: mismatched (t = 0, ĵ = 2), gap 0.4. Row 2: mismatched with gap 5 > hMax: no signal.
    const a = [0.5, 1.0, 0.98, 0.1, 0.2, 0.5, 0, 1, 5];
    const decisions = Int32Array.from([1, 2, 2]);
    const arm = Int32Array.from([1, 0, 0]);
    const value = [2, 3, 1];
    const ipw = [3, 3, 3];
    const g = ifdValueGradient(a, m, decisions, arm, value, ipw, 0.05, 3);
    const w0 = (3 * 2) / 3; // ipw·v / N
    const w1 = (3 * 3) / 3;
    const expected = [-w0 / 0.5, w0 / 0.05, -w0 / 0.05, w1 / 0.4, 0, -w1 / 0.4, 0, 0, 0];
    expected.forEach((e, k) => expect(g[k]).toBeCloseTo(e, 5));
    // Matched row whose competitor is beyond hMax gets no signal from that competitor.
    const far = ifdValueGradient([0, 5, 4.5], 3, Int32Array.from([1]), Int32Array.from([1]), [1], [1], 0.05, 3);
    expect(Array.from(far).map((v) => +v.toFixed(6))).toEqual([0, +(1 / 0.5).toFixed(6), -(1 / 0.5)]);
  });
});

/** A tiny RCT: 200 rows, 3 arms (arm 0 free), purchase-driven revenue and cost, and current scores. */
function tinyRct(seed: number) {
  const n = 200;
  const m = 3;
  const rng = createRng(seed);
  const arm = Array.from({ length: n }, () => rng.int(m));
  const yr: number[] = [];
  const yc: number[] = [];
  const pred: number[] = [];
  for (let i = 0; i < n; i++) {
    const buy = rng.next() < 0.3 + 0.1 * arm[i]! ? 1 : 0;
    yr.push(buy * (1 + rng.next()));
    yc.push(buy * arm[i]! * 0.5);
    for (let j = 0; j < m; j++) pred.push(0.8 + 0.4 * rng.next()); // revenue heads
    for (let j = 0; j < m; j++) pred.push(j === 0 ? 0 : 0.15 * j + 0.1 * rng.next()); // cost heads
  }
  return { n, m, arm, yr, yc, pred, propensities: [1 / 3, 1 / 3, 1 / 3] };
}

type Tiny = ReturnType<typeof tinyRct>;

/** IPW decision value at fixed λs: Σ_λ (r̄(λ) − κ·λ·c̄(λ)); κ = 0 for PIFD (revenue only), 1 for DIFD. */
function decisionValue(d: Tiny, pred: ArrayLike<number>, lambdas: number[], kappa: number): number {
  const { n, m } = d;
  const r = new Float64Array(n * m);
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      r[i * m + j] = pred[i * 2 * m + j] as number;
      c[i * m + j] = j === 0 ? 0 : (pred[i * 2 * m + m + j] as number);
    }
  }
  const rct = {
    arm: Int32Array.from(d.arm),
    revenue: Float64Array.from(d.yr),
    cost: Float64Array.from(d.yc),
    propensities: d.propensities,
  };
  return lambdas.reduce((s, l) => {
    const v = ipwValueAtLambda({ n, m, r, c }, rct, l);
    return s + v.revenue - kappa * l * v.cost;
  }, 0);
}

/**
 * Direction test: the surrogate's gradient, taken as a step on the scores, must raise the (piecewise constant)
 * IPW value — a finite difference of the value along the step — and beat random directions of the same length.
 */
function directionCheck(kind: 'pifd' | 'difd', seed: number) {
  const d = tinyRct(seed);
  const lambdas = kind === 'pifd' ? [1.0] : [0.5, 1.0];
  const kappa = kind === 'pifd' ? 0 : 1;
  const opts: IfdOptions = {
    tau: 0.1,
    hMin: 0.05,
    hMax: 3,
    propensities: d.propensities,
    zeroCostArms: [true, false, false],
  };
  const grad = tf.tidy(() => {
    const batch = batchOf(d.arm, d.yr, d.yc, d.m);
    const f = (p: tf.Tensor) =>
      kind === 'pifd'
        ? pifdLoss(p as tf.Tensor2D, batch, lambdas[0] as number, opts)
        : difdLoss(p as tf.Tensor2D, batch, lambdas, opts);
    return Array.from(
      tf
        .grad(f)(tf.tensor2d(d.pred, [d.n, 2 * d.m]))
        .dataSync(),
    );
  });
  const norm = Math.hypot(...grad);
  const v0 = decisionValue(d, d.pred, lambdas, kappa);
  const gain = (dir: number[], step: number) =>
    decisionValue(
      d,
      d.pred.map((p, k) => p + step * (dir[k] as number)),
      lambdas,
      kappa,
    ) - v0;
  const descent = grad.map((g) => -g / norm);
  const steps = [0.5, 1, 2];
  const ifdGains = steps.map((s) => gain(descent, s));
  const ascentGains = steps.map((s) =>
    gain(
      descent.map((x) => -x),
      s,
    ),
  );
  const rng = createRng(seed + 100);
  const randomGains: number[] = [];
  for (let k = 0; k < 40; k++) {
    const dir = grad.map(() => rng.normal());
    const dn = Math.hypot(...dir);
    randomGains.push(
      gain(
        dir.map((x) => x / dn),
        1,
      ),
    );
  }
  return { norm, ifdGains, ascentGains, randomGains, v0 };
}

describe('IFD surrogates move the scores the way the IPW decision value rises', () => {
  for (const kind of ['pifd', 'difd'] as const) {
    it(`${kind}: a step along −∇L raises the value, the opposite step lowers it, random steps do worse`, () => {
      for (const seed of [1, 2, 3]) {
        const { norm, ifdGains, ascentGains, randomGains, v0 } = directionCheck(kind, seed);
        expect(norm).toBeGreaterThan(0);
        for (const g of ifdGains) expect(g).toBeGreaterThan(0.01 * Math.abs(v0));
        for (const g of ascentGains) expect(g).toBeLessThan(0);
        // Better than every one of 40 random directions of the same length (step 1).
        expect(ifdGains[1]).toBeGreaterThan(Math.max(...randomGains));
      }
    });
  }
});
