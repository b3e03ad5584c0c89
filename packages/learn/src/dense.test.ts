import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { dense, denseReference, type DenseActivation } from './dense.js';
import { initMlp, mlpForward, type MlpSpec } from './mlp.js';

beforeAll(async () => {
  await initBackend();
});

/** Largest |a − b| over tensor lists, relative to max(1, max |b|). */
function maxRelDiff(a: tf.Tensor[], b: tf.Tensor[]): number {
  let worst = 0;
  a.forEach((t, k) => {
    const u = t.dataSync();
    const v = (b[k] as tf.Tensor).dataSync();
    let scale = 1;
    for (const x of v) scale = Math.max(scale, Math.abs(x));
    for (let i = 0; i < u.length; i++) worst = Math.max(worst, Math.abs((u[i] as number) - (v[i] as number)) / scale);
  });
  return worst;
}

describe('dense layer with hand-written gradient', () => {
  for (const act of ['relu', 'softplus', 'linear'] as DenseActivation[]) {
    it(`matches tf's default gradient (${act}) to 1e-5`, () => {
      tf.tidy(() => {
        const x = tf.randomNormal([50, 7], 0, 1, 'float32', 11) as tf.Tensor2D;
        const w = tf.randomNormal([7, 5], 0, 0.7, 'float32', 12);
        const b = tf.randomNormal([5], 0, 0.5, 'float32', 13);
        const target = tf.randomNormal([50, 5], 0, 1, 'float32', 14);
        const lossOf = (y: tf.Tensor) => tf.mean(tf.square(tf.sub(y, target))) as tf.Scalar;
        const custom = tf.grads((xi, wi, bi) =>
          lossOf(dense(xi as tf.Tensor2D, wi as tf.Tensor, bi as tf.Tensor, act)),
        )([x, w, b]);
        const reference = tf.grads((xi, wi, bi) =>
          lossOf(denseReference(xi as tf.Tensor2D, wi as tf.Tensor, bi as tf.Tensor, act)),
        )([x, w, b]);
        expect(maxRelDiff(custom, reference)).toBeLessThan(1e-5);
        // Forward values agree too.
        expect(maxRelDiff([dense(x, w, b, act)], [denseReference(x, w, b, act)])).toBeLessThan(1e-6);
        // The first-layer variant (no input gradient) gives the same parameter gradients.
        const firstLayer = tf.grads((wi, bi) => lossOf(dense(x, wi as tf.Tensor, bi as tf.Tensor, act, false)))([w, b]);
        expect(maxRelDiff(firstLayer, reference.slice(1))).toBeLessThan(1e-5);
        // … also when given xᵀ, and when x is created inside (and freed by) a tidy that ends before backprop.
        const withXT = tf.grads((wi, bi) =>
          lossOf(dense(x, wi as tf.Tensor, bi as tf.Tensor, act, false, tf.transpose(x))),
        )([w, b]);
        expect(maxRelDiff(withXT, reference.slice(1))).toBeLessThan(1e-5);
        const inner = tf.grads((wi, bi) =>
          lossOf(tf.tidy(() => dense(tf.clone(x), wi as tf.Tensor, bi as tf.Tensor, act, false))),
        )([w, b]);
        expect(maxRelDiff(inner, reference.slice(1))).toBeLessThan(1e-5);
      });
    });
  }

  it('mlpForward gradients equal those of the same network built from default ops', () => {
    const spec: MlpSpec = { inputDim: 6, hidden: [16, 8], outputDim: 4, outputActivation: 'softplus' };
    const params = initMlp(spec, 5);
    tf.tidy(() => {
      const x = tf.randomNormal([40, 6], 0, 1, 'float32', 21) as tf.Tensor2D;
      const reference = (ps: tf.Tensor[]) => {
        let h = x;
        for (let l = 0; l < 3; l++)
          h = denseReference(h, ps[2 * l] as tf.Tensor, ps[2 * l + 1] as tf.Tensor, l < 2 ? 'relu' : 'softplus');
        return h;
      };
      const lossOf = (y: tf.Tensor) => tf.mean(tf.square(y)) as tf.Scalar;
      const g1 = tf.grads((...ps) => lossOf(mlpForward(ps, x, spec)))(params);
      const g2 = tf.grads((...ps) => lossOf(reference(ps)))(params);
      expect(maxRelDiff(g1, g2)).toBeLessThan(1e-5);
    });
    params.forEach((p) => p.dispose());
  });

  it('leaves no tensors behind after a gradient', () => {
    const spec: MlpSpec = { inputDim: 3, hidden: [4], outputDim: 2, outputActivation: 'linear' };
    const params = initMlp(spec, 1);
    const x = tf.ones([5, 3]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const grads = tf.grads((...ps) => tf.sum(mlpForward(ps, x, spec)) as tf.Scalar)(params);
    grads.forEach((g) => g.dispose());
    expect(tf.memory().numTensors).toBe(before);
    [...params, x].forEach((t) => t.dispose());
  });
});
