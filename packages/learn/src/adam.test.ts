import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam } from './adam.js';
import { initBackend } from './backend.js';

beforeAll(async () => {
  await initBackend();
});

/** Textbook Adam in float64 on f(θ) = Σ_k (θ_k − c_k)², gradient 2(θ − c). */
function referenceAdam(theta: number[], c: number[], steps: number, lr: number): number[] {
  const m = theta.map(() => 0);
  const v = theta.map(() => 0);
  const x = [...theta];
  for (let t = 1; t <= steps; t++) {
    for (let k = 0; k < x.length; k++) {
      const g = 2 * (x[k]! - c[k]!);
      m[k] = 0.9 * m[k]! + 0.1 * g;
      v[k] = 0.999 * v[k]! + 0.001 * g * g;
      const mHat = m[k]! / (1 - 0.9 ** t);
      const vHat = v[k]! / (1 - 0.999 ** t);
      x[k] = x[k]! - (lr * mHat) / (Math.sqrt(vHat) + 1e-8);
    }
  }
  return x;
}

function run(adam: Adam, x: tf.Variable, c: tf.Tensor, steps: number): void {
  for (let s = 0; s < steps; s++) {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.sum(tf.square(tf.sub(x, c))) as tf.Scalar, [x]);
      adam.step([grads[x.name] as tf.Tensor]);
    });
  }
}

describe('Adam', () => {
  it('matches textbook Adam (float64 reference) to 1e-5 over 30 steps', () => {
    const theta = [1.5, -0.3, 0.02, 4];
    const target = [0, 0.5, 0.01, -1];
    const x = tf.variable(tf.tensor1d(theta));
    const c = tf.tensor1d(target);
    const adam = new Adam([x], { learningRate: 0.05 });
    run(adam, x, c, 30);
    const expected = referenceAdam(theta, target, 30, 0.05);
    const got = x.dataSync();
    expected.forEach((e, k) => expect(Math.abs((got[k] as number) - e)).toBeLessThan(1e-5));
    expect(adam.steps).toBe(30);
    adam.dispose();
    x.dispose();
    c.dispose();
  });

  it('a run restored from getState() continues bit-identically', () => {
    const c = tf.tensor1d([0.3, -0.7]);
    const x1 = tf.variable(tf.tensor1d([2, 2]));
    const a1 = new Adam([x1], { learningRate: 0.1 });
    run(a1, x1, c, 20);
    const x2 = tf.variable(tf.tensor1d([2, 2]));
    const a2 = new Adam([x2], { learningRate: 0.1 });
    run(a2, x2, c, 9);
    const state = a2.getState();
    const x3 = tf.variable(tf.tensor1d(x2.dataSync() as Float32Array));
    const a3 = new Adam([x3], { learningRate: 0.1 });
    a3.setState(state);
    run(a3, x3, c, 11);
    expect(Array.from(x3.dataSync())).toEqual(Array.from(x1.dataSync()));
    [a1, a2, a3].forEach((a) => a.dispose());
    [x1, x2, x3, c].forEach((t) => t.dispose());
  });
});
