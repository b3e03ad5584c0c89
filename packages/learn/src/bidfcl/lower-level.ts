import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../device-table.js';
import { mlpForward, type MlpSpec } from '../mlp.js';
import { factualSquaredErrors } from '../mse-losses.js';

/**
 * The Bridge G_φ has the Target's architecture with linear outputs (gate logits): 2M of them, one per
 * revenue/cost output, so that w = sigmoid(G_φ(x)) lines up with the Target's [B, 2M] predictions.
 */
export function bridgeSpecOf(targetSpec: MlpSpec): MlpSpec {
  return { ...targetSpec, hidden: [...targetSpec.hidden], outputActivation: 'linear' };
}

/** w = sigmoid(G_φ(x)), shape [B, 2M]. `xT` (the batch's xᵀ) speeds up a φ-gradient's first layer. */
export function gateValues(phi: tf.Tensor[], x: tf.Tensor2D, bridgeSpec: MlpSpec, xT?: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.sigmoid(mlpForward(phi, x, bridgeSpec, xT)));
}

/** Gates fixed at `value` (bidfcl-fixgate), shape [B, 2M]. */
export function fixedGates(rows: number, outputs: number, value: number): tf.Tensor2D {
  return tf.fill([rows, outputs], value) as tf.Tensor2D;
}

/** Identity whose gradient is zero: the stop_gradient of docs/method.md §3.5 (tfjs has none built in). */
const stopGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  return { value: tf.clone(x), gradFunc: (dy: tf.Tensor | tf.Tensor[]) => tf.zerosLike(dy as tf.Tensor) };
});

/** 1 where j ≠ t_i (the arms a user did not get), for both heads: [B, 2M]. */
export function counterfactualMask(batch: Batch): tf.Tensor2D {
  return tf.sub(1, batch.oneHot2) as tf.Tensor2D;
}

/**
 * Bi-DFCL lower level on a batch (docs/method.md §3.5), from the Target's [B, 2M] predictions `pred`, the frozen
 * Teacher's `teacher` and the gates w:
 *   r^cf_ij = w^r_ij r̂^ψ_ij + (1 − w^r_ij)·stop_gradient(r̂^θ_ij)   (likewise for cost)
 *   L_low = mean_i[(y_r,i − r̂_{i,t_i})² + (y_c,i − ĉ_{i,t_i})²]
 *           + mean_i Σ_{j≠t_i}[(r^cf_ij − r̂_ij)² + (c^cf_ij − ĉ_ij)²].
 * Gradients flow to θ (through pred) and to φ (through w); the pseudo-label's own-prediction part is a constant.
 */
export function lowerLossFromPred(
  pred: tf.Tensor2D,
  gates: tf.Tensor2D,
  teacher: tf.Tensor2D,
  batch: Batch,
): tf.Scalar {
  return tf.tidy(() => {
    const factual = tf.mean(factualSquaredErrors(pred, batch));
    const pseudo = tf.add(tf.mul(gates, teacher), tf.mul(tf.sub(1, gates), stopGradient(pred) as tf.Tensor2D));
    const cf = tf.mul(counterfactualMask(batch), tf.square(tf.sub(pseudo, pred)));
    return tf.add(factual, tf.div(tf.sum(cf), batch.host.n)) as tf.Scalar;
  });
}

/**
 * L_low(θ, φ) in the closure form of docs/method.md §3.5: Target parameters θ, gates w (see `gateValues` /
 * `fixedGates`), Teacher predictions ψ(x) for the batch rows.
 */
export function lowerLoss(
  theta: tf.Tensor[],
  gates: tf.Tensor2D,
  psiPreds: tf.Tensor2D,
  batch: Batch,
  spec: MlpSpec,
): tf.Scalar {
  return tf.tidy(() => lowerLossFromPred(mlpForward(theta, batch.x, spec, batch.xT), gates, psiPreds, batch));
}

/**
 * The gate-weighted distillation potential
 *   U(φ, θ) = mean_i[factual_i] + mean_i Σ_{j≠t_i}[w^r_ij (r̂^ψ_ij − r̂_ij)² + w^c_ij (ĉ^ψ_ij − ĉ_ij)²].
 * Why it exists: with the stop_gradient, ∇_θ L_low is not the θ-gradient of L_low's value but it IS ∇_θ U
 * (d/dr̂ (r^cf − r̂)² = −2w(r̂^ψ − r̂) = d/dr̂ w(r̂^ψ − r̂)²). The lower level therefore solves ∇_θ U = 0, and the
 * implicit function theorem needs ∇²_φθ U — not the mixed derivative of L_low's value, whose φ-gradient carries
 * an extra factor 2w. The hypergradient takes its mixed term from U (tests check both facts).
 * Here only the part that depends on φ is needed; `weightsTimesGaps` = mask·(teacher − pred)² is a constant.
 */
export function potentialGatePart(gates: tf.Tensor2D, weightsTimesGaps: tf.Tensor2D, rows: number): tf.Scalar {
  return tf.tidy(() => tf.div(tf.sum(tf.mul(gates, weightsTimesGaps)), rows) as tf.Scalar);
}

/** Full U(φ, θ) on a batch from predictions and gates (for tests and diagnostics). */
export function lowerPotentialFromPred(
  pred: tf.Tensor2D,
  gates: tf.Tensor2D,
  teacher: tf.Tensor2D,
  batch: Batch,
): tf.Scalar {
  return tf.tidy(() => {
    const factual = tf.mean(factualSquaredErrors(pred, batch));
    const gaps = tf.mul(counterfactualMask(batch), tf.square(tf.sub(teacher, pred))) as tf.Tensor2D;
    return tf.add(factual, potentialGatePart(gates, gaps, batch.host.n)) as tf.Scalar;
  });
}

/** Disposes every tensor of a batch (whatever fields the batch type grows). */
export function disposeBatch(batch: Batch): void {
  for (const v of Object.values(batch)) if (v instanceof tf.Tensor) v.dispose();
}
