import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../device-table.js';
import { combineHeads } from '../heads.js';
import { factualSquaredErrors } from '../mse-losses.js';

/**
 * Per-row imputed errors ê_ij = (r̃_ij − r̂_ij)² + (c̃_ij − ĉ_ij)², [B, M], from the model's [B, 2M] output and
 * the imputed outcomes in the same layout (revenue arms, then cost arms).
 */
export function imputedErrors(pred: tf.Tensor2D, imputed: tf.Tensor2D, m: number): tf.Tensor2D {
  const ones = new Array<number>(m).fill(1);
  return combineHeads(tf.square(tf.sub(imputed, pred)) as tf.Tensor2D, ones, ones);
}

/**
 * Doubly robust loss over every (user, arm) pair of the batch (docs/method.md §3.7):
 *   L_DR = (1/(B·M)) Σ_i [ Σ_j ê_ij + (e_{i,t_i} − ê_{i,t_i}) · w_i ]
 * with e the factual squared error, ê the error against the imputed outcomes and w_i = 1/p̂(t_i | x_i) (clipped
 * by the caller). Given the features, its expectation over the logged arm is the full-information loss
 * (1/(B·M)) Σ_ij e_ij whenever w is the true inverse propensity, whatever the imputation (the test checks this by
 * enumerating every assignment).
 */
export function drLoss(pred: tf.Tensor2D, imputed: tf.Tensor2D, batch: Batch, invPropensity: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const m = batch.oneHot.shape[1];
    const eHat = imputedErrors(pred, imputed, m);
    const eHatFactual = tf.sum(tf.mul(eHat, batch.oneHot), 1);
    const correction = tf.mul(invPropensity, tf.sub(factualSquaredErrors(pred, batch), eHatFactual));
    return tf.div(tf.mean(tf.add(tf.sum(eHat, 1), correction)), m) as tf.Scalar;
  });
}

/**
 * DR-JT's imputation loss (docs/method.md §3.7): mean_i w_i [(y_r,i − r̃_{i,t_i})² + (y_c,i − c̃_{i,t_i})²], the
 * imputed outcomes' inverse-propensity-weighted miss on the logged pairs. Its minimiser r̃ = y makes the imputed
 * error equal the true one on those pairs, as the paper's (e − ê)² does, with one root instead of two.
 */
export function imputationLoss(imputed: tf.Tensor2D, batch: Batch, invPropensity: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.mul(invPropensity, factualSquaredErrors(imputed, batch))) as tf.Scalar);
}

/** Cross-entropy of the logged arms under softmax(logits): −mean_i log softmax(logits_i)[t_i]. */
export function propensityCrossEntropy(logits: tf.Tensor2D, batch: Batch): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(batch.oneHot, tf.logSoftmax(logits)), 1))) as tf.Scalar);
}

/**
 * DragonNet's targeted regularisation for M arms and two outcomes (docs/method.md §3.8):
 *   L_TR = mean_i [ (y_r,i − r̂_{i,t_i} − ε^r_{t_i} / g_{i,t_i})² + (y_c,i − ĉ_{i,t_i} − ε^c_{t_i} / g_{i,t_i})² ]
 * with g = softmax(logits) the propensity head, 1/g clipped at `maxWeight`, and ε the 2M perturbation
 * parameters (revenue arms, then cost arms). ∂L_TR/∂ε^r_j = 0 is the estimating equation of arm j's mean
 * revenue, Σ_{i: t_i = j} (y_r,i − r̃_ij) / g_ij = 0.
 */
export function targetedRegularisation(
  pred: tf.Tensor2D,
  logits: tf.Tensor2D,
  epsilon: tf.Tensor,
  batch: Batch,
  maxWeight: number,
): tf.Scalar {
  return tf.tidy(() => {
    const gTaken = tf.sum(tf.mul(tf.softmax(logits), batch.oneHot), 1);
    const clever = tf.minimum(tf.div(1, gTaken), maxWeight).reshape([-1, 1]);
    const perturbed = tf.mul(batch.oneHot2, tf.add(pred, tf.mul(epsilon.reshape([1, -1]), clever)));
    return tf.mean(tf.sum(tf.square(tf.sub(batch.target2, perturbed)), 1)) as tf.Scalar;
  });
}
