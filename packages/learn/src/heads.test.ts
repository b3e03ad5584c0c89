import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { combineHeads } from './heads.js';
import { splitHeads } from './uplift-model.js';

beforeAll(async () => {
  await initBackend();
});

describe('combineHeads / splitHeads', () => {
  it('equal slicing of the [B, 2M] output, values and gradients (1e-6)', () => {
    tf.tidy(() => {
      const pred = tf.randomNormal([9, 6], 0, 1, 'float32', 4) as tf.Tensor2D;
      const up = tf.randomNormal([9, 3], 0, 1, 'float32', 5);
      const a = [1, 0.5, -2];
      const b = [0, -0.7, 3];
      const viaSlices = (p: tf.Tensor2D) =>
        tf.add(
          tf.mul(tf.slice(p, [0, 0], [9, 3]), tf.tensor1d(a)),
          tf.mul(tf.slice(p, [0, 3], [9, 3]), tf.tensor1d(b)),
        );
      const got = combineHeads(pred, a, b);
      const want = viaSlices(pred);
      expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]).toBeLessThan(1e-6);
      const g1 = tf.grad((p: tf.Tensor) => tf.sum(tf.mul(combineHeads(p as tf.Tensor2D, a, b), up)))(pred);
      const g2 = tf.grad((p: tf.Tensor) => tf.sum(tf.mul(viaSlices(p as tf.Tensor2D), up)))(pred);
      expect(tf.max(tf.abs(tf.sub(g1, g2))).dataSync()[0]).toBeLessThan(1e-6);
      const { r, c } = splitHeads(pred);
      expect(Array.from(r.dataSync())).toEqual(Array.from(tf.slice(pred, [0, 0], [9, 3]).dataSync()));
      expect(Array.from(c.dataSync())).toEqual(Array.from(tf.slice(pred, [0, 3], [9, 3]).dataSync()));
    });
  });
});
