import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { initMlp, type MlpSpec } from '../mlp.js';
import { refForward, relError } from '../test-batches.js';
import { mlpHvp, type OutputLoss } from './mlp-hvp.js';
import { flatFromTensors, tensorsFromFlat } from './tensor-closures.js';
import { testRng } from './test-rng.js';
import { dot } from './vector-ops.js';

describe('mlpHvp (R-operator)', () => {
  beforeAll(async () => {
    await initBackend();
  });

  for (const outputActivation of ['softplus', 'linear'] as const) {
    it(
      `equals the nested-gradient HVP of a ReLU network with ${outputActivation} outputs ` + '(relative error < 1e-4)',
      () => {
        const spec: MlpSpec = { inputDim: 7, hidden: [24, 12], outputDim: 6, outputActivation };
        const rng = testRng(outputActivation === 'softplus' ? 1 : 2);
        const rows = 96;
        const x = tf.tensor2d(Float32Array.from({ length: rows * 7 }, rng.normal), [rows, 7]);
        const target = tf.tensor2d(
          Float32Array.from({ length: rows * 6 }, () => Math.abs(rng.normal())),
          [rows, 6],
        );
        const weights = tf.tensor2d(Float32Array.from({ length: rows * 6 }, rng.uniform), [rows, 6]);
        // ℓ(out) = Σ a ⊙ (y − out)² / B, plus a non-quadratic term Σ log(1 + out²) / B so that ℓ'' is not constant.
        const ell = (out: tf.Tensor2D): tf.Scalar =>
          tf.div(
            tf.add(tf.sum(tf.mul(weights, tf.square(tf.sub(target, out)))), tf.sum(tf.log1p(tf.square(out)))),
            rows,
          ) as tf.Scalar;
        const loss: OutputLoss = {
          grad: (out) => tf.grad((o: tf.Tensor) => ell(o as tf.Tensor2D))(out) as tf.Tensor2D,
          // d²/do² [a(y − o)² + log(1 + o²)] = 2a + 2(1 − o²)/(1 + o²)²
          hvp: (out, r) => {
            const o2 = tf.square(out);
            const curv = tf.add(tf.mul(2, weights), tf.div(tf.mul(2, tf.sub(1, o2)), tf.square(tf.add(1, o2))));
            return tf.div(tf.mul(curv, r), rows) as tf.Tensor2D;
          },
        };
        const params = initMlp(spec, 3);
        const theta = flatFromTensors(params);
        const vFlat = Float32Array.from({ length: theta.length }, rng.normal);
        const shapes = params.map((p) => p.shape);
        const got = tf.tidy(() => {
          const { hv, rOut } = mlpHvp(params, tensorsFromFlat(vFlat, shapes), x, spec, loss);
          return [tf.concat(hv.map((t) => t.reshape([-1]))), rOut];
        });
        const exactT = tf.tidy(() => {
          const tv = tensorsFromFlat(vFlat, shapes);
          const inner = (...ps: tf.Tensor[]): tf.Scalar => {
            const g = tf.grads((...qs: tf.Tensor[]) => ell(refForward(qs, x, spec)))(ps);
            return tf.addN(g.map((gi, i) => tf.sum(tf.mul(gi, tv[i] as tf.Tensor)))) as tf.Scalar;
          };
          return tf.concat(
            tf
              .grads(inner)(params)
              .map((t) => t.reshape([-1])),
          );
        });
        const hv = (got[0] as tf.Tensor).dataSync();
        expect(relError(hv, exactT.dataSync())).toBeLessThan(1e-4);
        // R(out) = J v: check ⟨J v, u⟩ = ⟨v, Jᵀu⟩ with Jᵀu from a first-order gradient.
        const u = tf.tensor2d(Float32Array.from({ length: rows * 6 }, rng.normal), [rows, 6]);
        const jtu = flatFromTensors(
          tf.grads((...qs: tf.Tensor[]) => tf.sum(tf.mul(refForward(qs, x, spec), u)))(params),
        );
        const lhs = dot((got[1] as tf.Tensor).dataSync() as Float32Array, u.dataSync() as Float32Array);
        expect(Math.abs(lhs - dot(vFlat, jtu)) / Math.abs(lhs)).toBeLessThan(1e-4);
        tf.dispose([...got, exactT, x, target, weights, u, ...params]);
      },
    );
  }
});
