import * as tf from '@tensorflow/tfjs';
import { createRng } from '@bidfcl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { factualMseLoss, ipsMseLoss, rctArmWeights, rctMseLoss } from './mse-losses.js';
import { batchOf } from './test-batches.js';

beforeAll(async () => {
  await initBackend();
});

const n = 30;
const m = 4;

function fixture() {
  const rng = createRng(5);
  // Unbalanced arms so that the §3.1 weights matter.
  const arm = Array.from({ length: n }, () => (rng.next() < 0.6 ? 0 : 1 + rng.int(m - 1)));
  const yr = arm.map(() => 2 * rng.next());
  const yc = arm.map((t) => t * rng.next());
  const pred = Array.from({ length: n * 2 * m }, () => rng.next());
  const sq = arm.map((t, i) => (yr[i]! - pred[i * 2 * m + t]!) ** 2 + (yc[i]! - pred[i * 2 * m + m + t]!) ** 2);
  return { arm, yr, yc, pred, sq };
}

describe('MSE losses', () => {
  it('factual MSE = mean of the factual squared errors of both heads', () => {
    const { arm, yr, yc, pred, sq } = fixture();
    const got = tf.tidy(
      () => factualMseLoss(tf.tensor2d(pred, [n, 2 * m]), batchOf(arm, yr, yc, m)).dataSync()[0] as number,
    );
    expect(got).toBeCloseTo(sq.reduce((a, b) => a + b, 0) / n, 5);
  });

  it('§3.1 full-surface RCT MSE on the whole set = (1/M) Σ_i (1/N_{t_i}) sqerr_i', () => {
    const { arm, yr, yc, pred, sq } = fixture();
    const counts = new Array<number>(m).fill(0);
    arm.forEach((t) => counts[t]!++);
    const expected = sq.reduce((s, e, i) => s + e / counts[arm[i]!]!, 0) / m;
    const w = rctArmWeights(Int32Array.from(arm), m);
    const got = tf.tidy(
      () => rctMseLoss(tf.tensor2d(pred, [n, 2 * m]), batchOf(arm, yr, yc, m), w).dataSync()[0] as number,
    );
    expect(got).toBeCloseTo(expected, 5);
    expect(() => rctArmWeights(Int32Array.from([0, 0, 1]), 3)).toThrow(/arm 2/);
  });

  it('IPS MSE = mean(w · sqerr) / mean weight of the training set', () => {
    const { arm, yr, yc, pred, sq } = fixture();
    const weight = arm.map((_, i) => 1 + (i % 5));
    const meanWeight = 2.5;
    const expected = sq.reduce((s, e, i) => s + weight[i]! * e, 0) / n / meanWeight;
    const got = tf.tidy(() => {
      const batch = batchOf(arm, yr, yc, m);
      batch.weight = tf.tensor1d(weight);
      return ipsMseLoss(tf.tensor2d(pred, [n, 2 * m]), batch, meanWeight).dataSync()[0] as number;
    });
    expect(got).toBeCloseTo(expected, 5);
    expect(() => tf.tidy(() => ipsMseLoss(tf.tensor2d(pred, [n, 2 * m]), batchOf(arm, yr, yc, m), 1))).toThrow(
      /weights/,
    );
  });
});
