import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { fdMixed } from '../bilevel/finite-difference.js';
import { flatFromTensors, tensorsFromFlat } from '../bilevel/tensor-closures.js';
import { testRng } from '../bilevel/test-rng.js';
import { DeviceTable, type Batch } from '../device-table.js';
import { initMlp, paramShapes } from '../mlp.js';
import { refForward, relError } from '../test-batches.js';
import { upliftSpec } from '../uplift-model.js';
import {
  bridgeSpecOf,
  counterfactualMask,
  lowerLossFromPred,
  lowerPotentialFromPred,
  potentialGatePart,
} from './lower-level.js';
import { tinyBidfclData } from './test-data.js';

describe('Bi-DFCL lower level', () => {
  const data = tinyBidfclData({ rct: 200, val: 100, obs: 120, seed: 3 });
  const spec = upliftSpec(data.obs.d, data.obs.m, [12, 8]);
  const bspec = bridgeSpecOf(spec);
  let table: DeviceTable;
  let batch: Batch;
  let teacher: tf.Tensor2D;
  let thetaFlat: Float32Array;
  let phiFlat: Float32Array;
  beforeAll(async () => {
    await initBackend();
    table = new DeviceTable(data.obs, data.scale);
    batch = table.batch(table.allRows());
    const t = initMlp(spec, 5);
    teacher = refForward(t, batch.x, spec);
    tf.dispose(t);
    const th = initMlp(spec, 6);
    thetaFlat = flatFromTensors(th);
    tf.dispose(th);
    // A bridge whose gates spread well away from 0.5.
    const rng = testRng(9);
    const ph = initMlp(bspec, 7);
    phiFlat = flatFromTensors(ph).map((v) => v * 3 + 0.1 * rng.normal());
    tf.dispose(ph);
  });

  const gatesOf = (phi: tf.Tensor[]): tf.Tensor2D => tf.sigmoid(refForward(phi, batch.x, bspec));

  it('has the closed-form value: factual MSE + mean_i Σ_{j≠t} w²(ψ − θ)²', () => {
    const th = tensorsFromFlat(thetaFlat, paramShapes(spec));
    const ph = tensorsFromFlat(phiFlat, paramShapes(bspec));
    const pred = refForward(th, batch.x, spec);
    const w = gatesOf(ph);
    const got = (lowerLossFromPred(pred, w, teacher, batch).dataSync() as Float32Array)[0] as number;
    const P = pred.dataSync();
    const W = w.dataSync();
    const T = teacher.dataSync();
    const { n, m, arm, yr, yc } = batch.host;
    let fact = 0;
    let cf = 0;
    for (let i = 0; i < n; i++) {
      const t = arm[i] as number;
      fact +=
        ((yr[i] as number) - (P[i * 2 * m + t] as number)) ** 2 +
        ((yc[i] as number) - (P[i * 2 * m + m + t] as number)) ** 2;
      for (let j = 0; j < 2 * m; j++) {
        if (j % m === t) continue;
        const k = i * 2 * m + j;
        cf += ((W[k] as number) * ((T[k] as number) - (P[k] as number))) ** 2;
      }
    }
    expect(got).toBeCloseTo((fact + cf) / n, 4);
    tf.dispose([...th, ...ph, pred, w]);
  });

  it('∇θ L_low (stop-gradient pseudo-labels) equals ∇θ of the potential U', () => {
    const th = tensorsFromFlat(thetaFlat, paramShapes(spec));
    const ph = tensorsFromFlat(phiFlat, paramShapes(bspec));
    const w = gatesOf(ph);
    const gL = tf.grads((...q: tf.Tensor[]) => lowerLossFromPred(refForward(q, batch.x, spec), w, teacher, batch))(th);
    const gU = tf.grads((...q: tf.Tensor[]) => lowerPotentialFromPred(refForward(q, batch.x, spec), w, teacher, batch))(
      th,
    );
    expect(relError(flatFromTensors(gL), flatFromTensors(gU))).toBeLessThan(1e-5);
    // …while the two values differ (w² vs w weights), so the identity is not trivial.
    const vL = (
      lowerLossFromPred(refForward(th, batch.x, spec), w, teacher, batch).dataSync() as Float32Array
    )[0] as number;
    const vU = (
      lowerPotentialFromPred(refForward(th, batch.x, spec), w, teacher, batch).dataSync() as Float32Array
    )[0] as number;
    expect(Math.abs(vL - vU)).toBeGreaterThan(1e-3);
    tf.dispose([...th, ...ph, w, ...gL, ...gU]);
  });

  it('the finite-difference mixed term of U equals the exact ∇φ⟨∇θ L_low, v⟩; that of L_low’s value does not', () => {
    const thShapes = paramShapes(spec);
    const phShapes = paramShapes(bspec);
    const v = Float32Array.from({ length: thetaFlat.length }, testRng(4).normal);
    const mask = counterfactualMask(batch);
    // Exact: differentiate the inner product of the (stop-gradient) θ-gradient with v with respect to φ.
    const exactT = tf.tidy(() => {
      const th = tensorsFromFlat(thetaFlat, thShapes);
      const tv = tensorsFromFlat(v, thShapes);
      const inner = (...ph: tf.Tensor[]): tf.Scalar => {
        const w = gatesOf(ph);
        const g = tf.grads((...q: tf.Tensor[]) => lowerLossFromPred(refForward(q, batch.x, spec), w, teacher, batch))(
          th,
        );
        return tf.addN(g.map((gi, i) => tf.sum(tf.mul(gi, tv[i] as tf.Tensor)))) as tf.Scalar;
      };
      return tf.concat(
        tf
          .grads(inner)(tensorsFromFlat(phiFlat, phShapes))
          .map((t) => t.reshape([-1])),
      );
    });
    const exact = Float64Array.from(exactT.dataSync());
    exactT.dispose();
    const gradPhiU = (phi: Float32Array, theta: Float32Array): Float32Array => {
      const g = tf.tidy(() => {
        const gaps = tf.mul(
          mask,
          tf.square(tf.sub(teacher, refForward(tensorsFromFlat(theta, thShapes), batch.x, spec))),
        ) as tf.Tensor2D;
        return tf.grads((...ph: tf.Tensor[]) => potentialGatePart(gatesOf(ph), gaps, batch.host.n))(
          tensorsFromFlat(phi, phShapes),
        );
      });
      const f = flatFromTensors(g);
      tf.dispose(g);
      return f;
    };
    const gradPhiValue = (phi: Float32Array, theta: Float32Array): Float32Array => {
      const g = tf.tidy(() => {
        const pred = refForward(tensorsFromFlat(theta, thShapes), batch.x, spec);
        return tf.grads((...ph: tf.Tensor[]) => lowerLossFromPred(pred, gatesOf(ph), teacher, batch))(
          tensorsFromFlat(phi, phShapes),
        );
      });
      const f = flatFromTensors(g);
      tf.dispose(g);
      return f;
    };
    // ε0 small enough that no ReLU of this tiny net switches inside the probe (see the report's HVP notes).
    const viaU = fdMixed(gradPhiU, phiFlat, thetaFlat, v, 1e-3);
    const viaValue = fdMixed(gradPhiValue, phiFlat, thetaFlat, v, 1e-3);
    expect(relError(viaU, exact)).toBeLessThan(1e-2);
    expect(relError(viaValue, exact)).toBeGreaterThan(0.1);
    mask.dispose();
  });
});
