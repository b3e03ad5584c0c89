import * as tf from '@tensorflow/tfjs';
import { createRng } from '@bidfcl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { dplLoss, pplLoss, type PolicyLossOptions } from './policy-losses.js';
import { batchOf } from './test-batches.js';

beforeAll(async () => {
  await initBackend();
});

const B = 7;
const M = 3;
const opts: PolicyLossOptions = { tau: 0.4, propensities: [0.5, 0.3, 0.2], zeroCostArms: [true, false, false] };

function fixture(seed: number) {
  const rng = createRng(seed);
  const pred = Array.from({ length: B * 2 * M }, () => 0.2 + rng.next());
  const arm = Array.from({ length: B }, () => rng.int(M));
  const yr = Array.from({ length: B }, () => (rng.next() < 0.5 ? 0 : 3 * rng.next()));
  const yc = arm.map((t, i) => (yr[i]! > 0 ? t : 0));
  return { pred, arm, yr, yc };
}

/**
 * Closed form of the softmax policy gradient: for L = −(1/B) Σ_i w_i v_i z_{i,t_i}, z = softmax(a/τ),
 * a = r − λ c·mask: ∂L/∂a_ij = −(1/B) w_i v_i (1/τ) z_{i,t}(δ_{j,t} − z_ij); ∂L/∂r = ∂L/∂a; ∂L/∂c = −λ·mask·∂L/∂a.
 * Accumulates into grad (B × 2M, float64).
 */
function addClosedForm(grad: Float64Array, pred: number[], arm: number[], v: number[], lambda: number): void {
  for (let i = 0; i < B; i++) {
    const a = Array.from(
      { length: M },
      (_, j) => pred[i * 2 * M + j]! - lambda * (opts.zeroCostArms[j] ? 0 : pred[i * 2 * M + M + j]!),
    );
    const mx = Math.max(...a);
    const e = a.map((x) => Math.exp((x - mx) / opts.tau));
    const s = e.reduce((p, q) => p + q, 0);
    const z = e.map((x) => x / s);
    const t = arm[i]!;
    const w = 1 / opts.propensities[t]!;
    for (let j = 0; j < M; j++) {
      const dA = (-(w * v[i]!) / B / opts.tau) * z[t]! * ((j === t ? 1 : 0) - z[j]!);
      grad[i * 2 * M + j]! += dA;
      grad[i * 2 * M + M + j]! += -lambda * (opts.zeroCostArms[j] ? 0 : 1) * dA;
    }
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let k = 0; k < a.length; k++) d = Math.max(d, Math.abs((a[k] as number) - (b[k] as number)));
  return d;
}

describe('PPL and DPL gradients equal the analytic softmax policy gradient', () => {
  it('PPL: ∂L/∂(r̂, ĉ) matches the closed form to 1e-5', () => {
    const { pred, arm, yr, yc } = fixture(1);
    const lambda = 0.8;
    const expected = new Float64Array(B * 2 * M);
    addClosedForm(expected, pred, arm, yr, lambda);
    const got = tf.tidy(() => {
      const batch = batchOf(arm, yr, yc, M);
      return tf
        .grad((p: tf.Tensor) => pplLoss(p as tf.Tensor2D, batch, lambda, opts))(tf.tensor2d(pred, [B, 2 * M]))
        .dataSync();
    });
    expect(maxAbsDiff(got, expected)).toBeLessThan(1e-5);
    // Not a vacuous comparison: the gradient is of order 1, the zero-cost arm's cost gets none.
    expect(Math.max(...Array.from(expected, Math.abs))).toBeGreaterThan(0.1);
    for (let i = 0; i < B; i++) expect(Math.abs(got[i * 2 * M + M] as number)).toBe(0);
  });

  it('DPL: sums the same gradient over Λ with values y_r − λ y_c', () => {
    const { pred, arm, yr, yc } = fixture(2);
    const lambdas = [0.3, 1.1];
    const expected = new Float64Array(B * 2 * M);
    for (const l of lambdas)
      addClosedForm(
        expected,
        pred,
        arm,
        yr.map((r, i) => r - l * yc[i]!),
        l,
      );
    const got = tf.tidy(() => {
      const batch = batchOf(arm, yr, yc, M);
      return tf
        .grad((p: tf.Tensor) => dplLoss(p as tf.Tensor2D, batch, lambdas, opts))(tf.tensor2d(pred, [B, 2 * M]))
        .dataSync();
    });
    expect(maxAbsDiff(got, expected)).toBeLessThan(1e-5);
  });

  it('PPL value equals −mean_i (1/p_t) z_t y_r', () => {
    const { pred, arm, yr, yc } = fixture(3);
    const lambda = 0.5;
    let expected = 0;
    for (let i = 0; i < B; i++) {
      const a = Array.from(
        { length: M },
        (_, j) => pred[i * 2 * M + j]! - lambda * (j === 0 ? 0 : pred[i * 2 * M + M + j]!),
      );
      const e = a.map((x) => Math.exp(x / opts.tau));
      expected -= (yr[i]! / opts.propensities[arm[i]!]!) * (e[arm[i]!]! / e.reduce((p, q) => p + q, 0));
    }
    expected /= B;
    const got = tf.tidy(
      () => pplLoss(tf.tensor2d(pred, [B, 2 * M]), batchOf(arm, yr, yc, M), lambda, opts).dataSync()[0] as number,
    );
    expect(Math.abs(got - expected)).toBeLessThan(1e-5);
  });
});
