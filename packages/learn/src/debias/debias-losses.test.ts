import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { testRng } from '../bilevel/test-rng.js';
import { batchFromHost, type Batch } from '../device-table.js';
import { drLoss, imputationLoss, propensityCrossEntropy, targetedRegularisation } from './debias-losses.js';

beforeAll(async () => {
  await initBackend();
});

/**
 * A tiny table with every arm's outcome known: n users, m arms, d = 1 feature. outcomes/pred/imputed are n × 2m
 * (revenue arms, then cost arms); propensity is n × m, skewed and user-dependent.
 */
function world(n: number, m: number, seed: number) {
  const rng = testRng(seed);
  const mk = (k: number, f: () => number) => Float32Array.from({ length: k }, f);
  const outcomes = mk(n * 2 * m, () => 2 * rng.uniform());
  const pred = mk(n * 2 * m, () => 2 * rng.uniform());
  const imputed = mk(n * 2 * m, () => 2 * rng.uniform());
  const propensity = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const raw = Array.from({ length: m }, (_, j) => Math.exp(2 * rng.normal() + (j === 0 ? 1.5 : 0)));
    const z = raw.reduce((s, v) => s + v, 0);
    raw.forEach((v, j) => (propensity[i * m + j] = v / z));
  }
  return { n, m, outcomes, pred, imputed, propensity };
}
type World = ReturnType<typeof world>;

/** The batch the assignment `arms` would log: y is the assigned arm's outcome. */
function loggedBatch(w: World, arms: number[]): Batch {
  const { n, m } = w;
  const arm = Int32Array.from(arms);
  const yr = Float32Array.from(arms, (t, i) => w.outcomes[i * 2 * m + t] as number);
  const yc = Float32Array.from(arms, (t, i) => w.outcomes[i * 2 * m + m + t] as number);
  return batchFromHost(new Float32Array(n), 1, { n, m, arm, yr, yc });
}

/** Every assignment of m arms to n users, with its probability under the propensities. */
function* assignments(w: World): Generator<{ arms: number[]; prob: number }> {
  const { n, m } = w;
  for (let code = 0; code < m ** n; code++) {
    const arms: number[] = [];
    let prob = 1;
    for (let i = 0, c = code; i < n; i++, c = Math.floor(c / m)) {
      arms.push(c % m);
      prob *= w.propensity[i * m + (c % m)] as number;
    }
    yield { arms, prob };
  }
}

/** (1/(n·m)) Σ_ij Σ_heads (y − ŷ)²: the loss were every arm's outcome observed. */
function fullInformationLoss(w: World): number {
  let s = 0;
  for (let k = 0; k < w.outcomes.length; k++) s += ((w.outcomes[k] as number) - (w.pred[k] as number)) ** 2;
  return s / (w.n * w.m);
}

/** E over the logged arms of a batch loss, by enumerating every assignment. */
function expectedOver(w: World, loss: (batch: Batch, arms: number[]) => tf.Scalar): number {
  let e = 0;
  for (const { arms, prob } of assignments(w)) {
    const v = tf.tidy(() => loss(loggedBatch(w, arms), arms).dataSync()[0] as number);
    e += prob * v;
  }
  return e;
}

const tensors = (w: World) => ({
  pred: tf.tensor2d(w.pred, [w.n, 2 * w.m]),
  imputed: tf.tensor2d(w.imputed, [w.n, 2 * w.m]),
});
const inverse = (w: World, arms: number[], p: (i: number, t: number) => number) =>
  tf.tensor1d(arms.map((t, i) => 1 / p(i, t)));

describe('drLoss (docs/method.md §3.7)', () => {
  const w = world(4, 3, 11);
  const full = fullInformationLoss(w);

  it('is unbiased for the full-information loss under the true propensities, whatever the imputation', () => {
    const dr = expectedOver(w, (batch, arms) => {
      const { pred, imputed } = tensors(w);
      return drLoss(
        pred,
        imputed,
        batch,
        inverse(w, arms, (i, t) => w.propensity[i * w.m + t] as number),
      );
    });
    expect(Math.abs(dr - full) / full).toBeLessThan(1e-5);
  });

  it('is biased with the wrong propensities (uniform): the check can fail', () => {
    const uniform = expectedOver(w, (batch, arms) => {
      const { pred, imputed } = tensors(w);
      return drLoss(
        pred,
        imputed,
        batch,
        inverse(w, arms, () => 1 / w.m),
      );
    });
    expect(Math.abs(uniform - full) / full).toBeGreaterThan(0.02);
  });

  it('equals the full-information loss on every assignment when the imputation is exact', () => {
    const exact = { ...w, imputed: w.outcomes };
    for (const { arms } of assignments(exact)) {
      const v = tf.tidy(() => {
        const { pred, imputed } = tensors(exact);
        const inv = inverse(exact, arms, (i, t) => exact.propensity[i * exact.m + t] as number);
        return drLoss(pred, imputed, loggedBatch(exact, arms), inv).dataSync()[0] as number;
      });
      expect(Math.abs(v - full) / full).toBeLessThan(1e-5);
    }
  });
});

describe('imputationLoss', () => {
  it('is mean_i w_i [(y_r − r̃)² + (y_c − c̃)²] on the logged pairs (brute force)', () => {
    const w = world(5, 3, 4);
    const arms = [0, 2, 1, 1, 0];
    const invP = arms.map((t, i) => 1 / (w.propensity[i * w.m + t] as number));
    const batch = loggedBatch(w, arms);
    let expected = 0;
    arms.forEach((t, i) => {
      const miss = (h: number, y: number) => (y - (w.imputed[i * 2 * w.m + h + t] as number)) ** 2;
      const e = miss(0, batch.host.yr[i] as number) + miss(w.m, batch.host.yc[i] as number);
      expected += ((invP[i] as number) * e) / arms.length;
    });
    const got = tf.tidy(() => {
      const { imputed } = tensors(w);
      return imputationLoss(imputed, batch, tf.tensor1d(invP)).dataSync()[0] as number;
    });
    expect(got).toBeCloseTo(expected, 4);
    tf.dispose(Object.values(batch).filter((v): v is tf.Tensor => v instanceof tf.Tensor));
  });
});

describe('DragonNet losses (docs/method.md §3.8)', () => {
  const w = world(6, 3, 5);
  const arms = [0, 1, 2, 2, 1, 0];
  const logitsData = Float32Array.from({ length: 18 }, (_, k) => Math.sin(k) * 1.5);
  const softmaxRow = (i: number) => {
    const row = Array.from(logitsData.subarray(i * 3, i * 3 + 3));
    const e = row.map((v) => Math.exp(v));
    const z = e.reduce((s, v) => s + v, 0);
    return e.map((v) => v / z);
  };

  it('cross-entropy equals −mean log softmax[t] (brute force)', () => {
    const expected = -arms.reduce((s, t, i) => s + Math.log(softmaxRow(i)[t] as number), 0) / arms.length;
    const got = tf.tidy(
      () => propensityCrossEntropy(tf.tensor2d(logitsData, [6, 3]), loggedBatch(w, arms)).dataSync()[0] as number,
    );
    expect(got).toBeCloseTo(expected, 5);
  });

  it("targeted regularisation: at the closed-form ε*, ∂L/∂ε = 0 (each arm's IPW estimating equation)", () => {
    const m = w.m;
    // Per arm j and head h: ε* = Σ_{t_i=j} (y_i − ŷ_ij)/g_ij / Σ_{t_i=j} 1/g_ij² (least squares in ε).
    const eps = new Float32Array(2 * m);
    for (let col = 0; col < 2 * m; col++) {
      const j = col % m;
      let num = 0;
      let den = 0;
      arms.forEach((t, i) => {
        if (t !== j) return;
        const g = softmaxRow(i)[j] as number;
        num += ((w.outcomes[i * 2 * m + col] as number) - (w.pred[i * 2 * m + col] as number)) / g;
        den += 1 / (g * g);
      });
      eps[col] = num / den;
    }
    const grad = (e: Float32Array) =>
      tf.tidy(() => {
        const batch = loggedBatch(w, arms);
        const { pred } = tensors(w);
        const logits = tf.tensor2d(logitsData, [6, 3]);
        const f = (x: tf.Tensor) => targetedRegularisation(pred, logits, x, batch, 1e6);
        return Array.from(tf.grad(f)(tf.tensor1d(e)).dataSync());
      });
    for (const g of grad(eps)) expect(Math.abs(g)).toBeLessThan(1e-4);
    // Away from ε* the gradient is not zero (the check can fail).
    expect(Math.max(...grad(new Float32Array(2 * m)).map(Math.abs))).toBeGreaterThan(1e-2);
  });
});
