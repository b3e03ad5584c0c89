import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bidfclConfigSchema, dfclConfigSchema, trainingConfigSchema } from '@bidfcl/contracts';
import { initBackend } from '../backend.js';
import { conjugateGradient } from '../bilevel/conjugate-gradient.js';
import { fdHvp } from '../bilevel/finite-difference.js';
import { flatFromTensors, tensorsFromFlat } from '../bilevel/tensor-closures.js';
import { testRng } from '../bilevel/test-rng.js';
import { initMlp, paramShapes } from '../mlp.js';
import { refForward, relError } from '../test-batches.js';
import { upliftSpec } from '../uplift-model.js';
import { createBidfclContext, lowerBatch, type BidfclContext } from './context.js';
import { lowerLevelProducts } from './lower-products.js';
import { bridgeSpecOf, disposeBatch, lowerLossFromPred, lowerPotentialFromPred } from './lower-level.js';
import type { BidfclSettings } from './settings.js';
import { tinyBidfclData } from './test-data.js';

const settings: BidfclSettings = {
  training: trainingConfigSchema.parse({ hidden: [20, 10], batchSize: 128 }),
  dfcl: dfclConfigSchema.parse({}),
  bidfcl: bidfclConfigSchema.parse({}),
  seed: 0,
};

describe('lowerLevelProducts (exact R-operator products of the Bi-DFCL lower level)', () => {
  const data = tinyBidfclData({ rct: 200, val: 100, obs: 300, seed: 8 });
  const spec = upliftSpec(data.obs.d, data.obs.m, settings.training.hidden);
  const bspec = bridgeSpecOf(spec);
  let ctx: BidfclContext;
  let theta: Float32Array;
  let phi: Float32Array;
  const rows = Int32Array.from({ length: 128 }, (_, i) => (i * 7) % 300);
  beforeAll(async () => {
    await initBackend();
    const t = initMlp(spec, 1);
    ctx = createBidfclContext(data, t, settings);
    tf.dispose(t);
    const th = initMlp(spec, 2);
    const ph = initMlp(bspec, 3);
    theta = flatFromTensors(th);
    phi = flatFromTensors(ph).map((v) => 2 * v); // gates spread away from 0.5
    tf.dispose([...th, ...ph]);
  });
  afterAll(() => ctx.dispose());

  // The θ-gradient map of L_low is θ ↦ ∇θ U(φ, θ); its Jacobian — what the IFT inverts — is ∇²θθ U. Nested autodiff of
  // L_low itself would treat the stop-gradient copy as a constant on the second pass and give another matrix
  // (weights 1 instead of w on the pseudo-label Gauss–Newton term), so the Hessian reference differentiates U.
  it(
    'hvp equals the nested-gradient Hessian of U, ' + 'mixed equals the exact ∇φ⟨∇θ L_low, v⟩ (relative error < 1e-4)',
    () => {
      const low = lowerLevelProducts(ctx, phi, rows);
      const v = Float32Array.from({ length: theta.length }, testRng(5).normal);
      const thShapes = paramShapes(spec);
      const phShapes = paramShapes(bspec);
      const { batch, teacher } = lowerBatch(ctx, rows);
      const gatesOf = (ph: tf.Tensor[]): tf.Tensor2D => tf.sigmoid(refForward(ph, batch.x, bspec));
      const lossAt = (th: tf.Tensor[], ph: tf.Tensor[]): tf.Scalar =>
        lowerLossFromPred(refForward(th, batch.x, spec), gatesOf(ph), teacher, batch);
      const potentialAt = (th: tf.Tensor[], ph: tf.Tensor[]): tf.Scalar =>
        lowerPotentialFromPred(refForward(th, batch.x, spec), gatesOf(ph), teacher, batch);
      const exactH = tf.tidy(() => {
        const ph = tensorsFromFlat(phi, phShapes);
        const tv = tensorsFromFlat(v, thShapes);
        const inner = (...th: tf.Tensor[]): tf.Scalar =>
          tf.addN(
            tf
              .grads((...q: tf.Tensor[]) => potentialAt(q, ph))(th)
              .map((g, i) => tf.sum(tf.mul(g, tv[i] as tf.Tensor))),
          ) as tf.Scalar;
        return tf.concat(
          tf
            .grads(inner)(tensorsFromFlat(theta, thShapes))
            .map((t) => t.reshape([-1])),
        );
      });
      const exactM = tf.tidy(() => {
        const th = tensorsFromFlat(theta, thShapes);
        const tv = tensorsFromFlat(v, thShapes);
        const inner = (...ph: tf.Tensor[]): tf.Scalar =>
          tf.addN(
            tf
              .grads((...q: tf.Tensor[]) => lossAt(q, ph))(th)
              .map((g, i) => tf.sum(tf.mul(g, tv[i] as tf.Tensor))),
          ) as tf.Scalar;
        return tf.concat(
          tf
            .grads(inner)(tensorsFromFlat(phi, phShapes))
            .map((t) => t.reshape([-1])),
        );
      });
      const hv = low.hvp(theta, v);
      const mixed = low.mixed(phi, theta, v);
      expect(relError(hv, exactH.dataSync())).toBeLessThan(1e-4);
      expect(relError(mixed, exactM.dataSync())).toBeLessThan(1e-4);
      // The gradient closure is L_low's: the exact HVP is its derivative along v (tiny probe: no ReLU switches).
      expect(relError(fdHvp(low.gradThetaLow, theta, v, 1e-4), hv)).toBeLessThan(2e-2);
      tf.dispose([exactH, exactM, teacher]);
      disposeBatch(batch);
      low.dispose();
    },
  );

  // G = Jᵀ D J with D = ∂²U/∂out² = (2/B)·diag(A), A = factual one-hot + mask ⊙ w. As a bilinear form,
  // uᵀ G v = (J u)ᵀ D (J v): checked with J u, J v by central differences of the reference forward pass (an
  // independent route: no R-operator, no backward pass), on random pairs.
  const gnTitle =
    'gnvp is the Gauss–Newton product: uᵀGv = (Ju)ᵀD(Jv) (error < 1e-3 of the form’s scale), symmetric, PSD';
  it(`${gnTitle}, and CG on it converges`, () => {
    const low = lowerLevelProducts(ctx, phi, rows);
    const thShapes = paramShapes(spec);
    const { batch, teacher } = lowerBatch(ctx, rows);
    const d = tf.tidy(() => {
      const w = tf.sigmoid(refForward(tensorsFromFlat(phi, paramShapes(bspec)), batch.x, bspec));
      const a = tf.add(batch.oneHot2, tf.mul(tf.sub(1, batch.oneHot2), w));
      return tf.mul(2 / rows.length, a).dataSync() as Float32Array;
    });
    const outAt = (t: Float32Array): Float64Array =>
      Float64Array.from(tf.tidy(() => refForward(tensorsFromFlat(t, thShapes), batch.x, spec).dataSync()));
    const jvp = (v: Float32Array): Float64Array => {
      const eps = 1e-3 / Math.hypot(...v);
      const plus = outAt(theta.map((t, i) => t + eps * v[i]!));
      const minus = outAt(theta.map((t, i) => t - eps * v[i]!));
      return plus.map((p, i) => (p - minus[i]!) / (2 * eps));
    };
    const dotF = (a: ArrayLike<number>, b: ArrayLike<number>) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
      return s;
    };
    const rng = testRng(11);
    for (let pair = 0; pair < 3; pair++) {
      const u = Float32Array.from({ length: theta.length }, rng.normal);
      const v = Float32Array.from({ length: theta.length }, rng.normal);
      const gv = low.gnvp(theta, v);
      const gu = low.gnvp(theta, u);
      const ju = jvp(u);
      const jv = jvp(v);
      const form = (a: Float64Array, b: Float64Array) =>
        dotF(
          a.map((x, i) => x * d[i]!),
          b,
        );
      // Relative to the form's scale √(uᵀGu·vᵀGv) (uᵀGv itself can be small by cancellation).
      const scale = Math.sqrt(form(ju, ju) * form(jv, jv));
      expect(Math.abs(dotF(u, gv) - form(ju, jv)) / scale).toBeLessThan(1e-3);
      expect(Math.abs(dotF(v, gv) - form(jv, jv)) / form(jv, jv)).toBeLessThan(1e-3);
      expect(Math.abs(dotF(u, gv) - dotF(v, gu)) / Math.abs(dotF(v, gu))).toBeLessThan(1e-4);
      expect(dotF(v, gv)).toBeGreaterThan(0);
    }
    // Positive definite once damped: CG runs to its tolerance, never stopped by curvature.
    const b = Float32Array.from({ length: theta.length }, rng.normal);
    const cg = conjugateGradient((p) => low.gnvp(theta, p), b, { maxIter: 500, tol: 1e-4, damping: 0.1 });
    expect(cg.negativeCurvature).toBe(false);
    expect(cg.residualNorm).toBeLessThanOrEqual(1e-4 * Math.hypot(...b));
    tf.dispose(teacher);
    disposeBatch(batch);
    low.dispose();
  });
});
