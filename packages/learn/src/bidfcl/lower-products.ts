import * as tf from '@tensorflow/tfjs';
import { mlpHvp, mlpJvp, type OutputLoss } from '../bilevel/mlp-hvp.js';
import { flatOf, tensorsFromFlat } from '../bilevel/tensor-closures.js';
import type { Vec } from '../bilevel/vector-ops.js';
import { mlpForward, paramShapes } from '../mlp.js';
import { lowerBatch, type BidfclContext } from './context.js';
import { counterfactualMask, disposeBatch, gateValues, lowerLossFromPred, potentialGatePart } from './lower-level.js';

const toF32 = (v: Vec): Float32Array => (v instanceof Float32Array ? v : Float32Array.from(v));

/**
 * The lower level's first- and second-order closures on one fixed batch of `ctx.lower` rows at a fixed φ, over flat
 * vectors: gradThetaLow (θ ↦ ∇_θ L_low), gradPhiLow ((φ, θ) ↦ ∇_φ U), the exact products hvp ((θ, v) ↦ H_θθ v)
 * and its Gauss–Newton part gnvp ((θ, v) ↦ G v, positive semi-definite), and mixed ((φ, θ, v) ↦ ∇²_φθ U · v).
 * `mixed` and `gradPhiLow` use U (see `potentialGatePart`). Call dispose() when done: the batch tensors live until
 * then.
 */
export function lowerLevelProducts(ctx: BidfclContext, phiFlat: Float32Array, rows: Int32Array) {
  const thetaShapes = paramShapes(ctx.spec);
  const phiShapes = paramShapes(ctx.bridgeSpec);
  // Tensors that live for the whole CG solve (built outside tf.tidy: the batch carries host arrays too).
  const { batch, teacher } = lowerBatch(ctx, rows);
  const gates = tf.tidy(() => gateValues(tensorsFromFlat(phiFlat, phiShapes), batch.x, ctx.bridgeSpec));
  const mask = counterfactualMask(batch);
  const keepAll: tf.Tensor[] = [teacher, gates, mask];
  const n = rows.length;
  /** φ ↦ Σ w ⊙ e / B, the part of U that depends on φ, for fixed weights e (see `potentialGatePart`). */
  const gatePart =
    (e: tf.Tensor2D) =>
    (...qs: tf.Tensor[]): tf.Scalar =>
      potentialGatePart(gateValues(qs, batch.x, ctx.bridgeSpec, batch.xT), e, n);
  // θ ↦ ∇_θ L_low(φ, θ) at the fixed φ (gates are constants here).
  const gradThetaLow = (theta: Float32Array): Float32Array =>
    flatOf(() => {
      const ps = tensorsFromFlat(theta, thetaShapes);
      const low = (...qs: tf.Tensor[]): tf.Scalar =>
        lowerLossFromPred(mlpForward(qs, batch.x, ctx.spec, batch.xT), gates, teacher, batch);
      return tf.grads(low)(ps);
    });
  // (φ, θ) ↦ ∇_φ U(φ, θ): the Target's squared gaps to the Teacher are constants for the φ-gradient.
  const gradPhiLow = (phi: Float32Array, theta: Float32Array): Float32Array =>
    flatOf(() => {
      const th = tensorsFromFlat(theta, thetaShapes);
      const ph = tensorsFromFlat(phi, phiShapes);
      const gaps = tf.mul(mask, tf.square(tf.sub(teacher, mlpForward(th, batch.x, ctx.spec)))) as tf.Tensor2D;
      return tf.grads(gatePart(gaps))(ph);
    });
  // Exact products (R-operator). U is quadratic in the Target's output: ∂U/∂out = (2/B)(A ⊙ out − C) with
  // A = factual one-hot (both heads) + mask ⊙ w and C = one-hot ⊙ y + mask ⊙ w ⊙ ψ(x),
  // so ∂²U/∂out² = (2/B)·diag(A).
  const outLoss = tf.tidy(() => {
    const mw = tf.mul(mask, gates);
    const a = tf.add(batch.oneHot2, mw) as tf.Tensor2D;
    return { a, c: tf.add(batch.target2, tf.mul(mw, teacher)) as tf.Tensor2D };
  });
  keepAll.push(outLoss.a, outLoss.c);
  const loss: OutputLoss = {
    grad: (out) => tf.mul(2 / n, tf.sub(tf.mul(outLoss.a, out), outLoss.c)) as tf.Tensor2D,
    hvp: (_out, r) => tf.mul(2 / n, tf.mul(outLoss.a, r)) as tf.Tensor2D,
  };
  const hvp = (theta: Float32Array, v: Vec): Float32Array =>
    flatOf(() => {
      const ps = tensorsFromFlat(theta, thetaShapes);
      const vs = tensorsFromFlat(toF32(v), thetaShapes);
      return mlpHvp(ps, vs, batch.x, ctx.spec, loss, batch.xT).hv;
    });
  // Gauss–Newton product G v = Jᵀ (∂²U/∂out²) J v (docs/method.md §3.5, `hvp: gauss-newton`): the Hessian without
  // the network's own curvature (the terms that multiply ∂U/∂out), so positive semi-definite because diag(A) ≥ 0.
  // J v by the R-forward pass, then Jᵀ u as the gradient of ⟨out(θ), u⟩ with u held constant.
  const gnvp = (theta: Float32Array, v: Vec): Float32Array =>
    flatOf(() => {
      const ps = tensorsFromFlat(theta, thetaShapes);
      const vs = tensorsFromFlat(toF32(v), thetaShapes);
      const { out, rOut } = mlpJvp(ps, vs, batch.x, ctx.spec);
      const u = loss.hvp(out, rOut);
      const inner = (...qs: tf.Tensor[]): tf.Scalar => tf.sum(tf.mul(mlpForward(qs, batch.x, ctx.spec, batch.xT), u));
      return tf.grads(inner)(ps);
    });
  // ∇_φ⟨∇_θ U, v⟩: only the counterfactual part of ∂U/∂out, −(2/B)·mask ⊙ w ⊙ (ψ − out), depends on φ.
  const mixed = (phi: Float32Array, theta: Float32Array, v: Vec): Float32Array =>
    flatOf(() => {
      const ps = tensorsFromFlat(theta, thetaShapes);
      const vs = tensorsFromFlat(toF32(v), thetaShapes);
      const ph = tensorsFromFlat(phi, phiShapes);
      const { out, rOut } = mlpJvp(ps, vs, batch.x, ctx.spec);
      const e = tf.mul(-2, tf.mul(mask, tf.mul(tf.sub(teacher, out), rOut))) as tf.Tensor2D;
      return tf.grads(gatePart(e))(ph);
    });
  return {
    gradThetaLow,
    gradPhiLow,
    hvp,
    gnvp,
    mixed,
    dispose: () => {
      tf.dispose(keepAll);
      disposeBatch(batch);
    },
  };
}
