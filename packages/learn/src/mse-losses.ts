import * as tf from '@tensorflow/tfjs';
import type { Batch } from './device-table.js';

/**
 * Per-row factual squared error in standardised units: (y_r,i − r̂_{i,t_i})² + (y_c,i − ĉ_{i,t_i})², shape [B].
 * `pred` is the model's [B, 2M] output (revenue heads, then cost heads).
 */
export function factualSquaredErrors(pred: tf.Tensor2D, batch: Batch): tf.Tensor1D {
  // pred ⊙ oneHot2 keeps r̂_{i,t_i} and ĉ_{i,t_i}; target2 holds y_r, y_c at the same places (no head split).
  return tf.tidy(() => tf.sum(tf.square(tf.sub(tf.mul(pred, batch.oneHot2), batch.target2)), 1) as tf.Tensor1D);
}

/** TSM loss (docs/method.md §3, tsm-*): mean_i [(y_r,i − r̂_{i,t_i})² + (y_c,i − ĉ_{i,t_i})²]. */
export function factualMseLoss(pred: tf.Tensor2D, batch: Batch): tf.Scalar {
  return tf.tidy(() => tf.mean(factualSquaredErrors(pred, batch)) as tf.Scalar);
}

/**
 * Per-arm weights of the full-surface RCT loss: N / (M · N_j), from the arm counts of the whole training set.
 * With them, the batch mean below is an unbiased estimate of docs/method.md §3.1's
 * L_PL = (1/M) Σ_i (1/N_{t_i}) [(y_r,i − r̂_{i,t_i})² + (y_c,i − ĉ_{i,t_i})²] (each arm counts equally).
 */
export function rctArmWeights(arm: Int32Array, m: number): number[] {
  const counts = new Array<number>(m).fill(0);
  for (let i = 0; i < arm.length; i++) counts[arm[i] as number]! += 1;
  return counts.map((nj, j) => {
    if (nj === 0) throw new Error(`rctArmWeights: arm ${j} has no RCT rows`);
    return arm.length / (m * nj);
  });
}

/** docs/method.md §3.1 on a batch: mean_i w_{t_i} · sqerr_i with w_j = N / (M · N_j) from `rctArmWeights`. */
export function rctMseLoss(pred: tf.Tensor2D, batch: Batch, armWeights: number[]): tf.Scalar {
  return tf.tidy(() => {
    const w = tf.sum(tf.mul(batch.oneHot, tf.tensor1d(armWeights)), 1);
    return tf.mean(tf.mul(w, factualSquaredErrors(pred, batch))) as tf.Scalar;
  });
}

/**
 * tsm-ips: mean_i (w_i / w̄) · sqerr_i with w_i = min(1 / ê(t_i | x_i), maxIpsWeight) (the batch's `weight`,
 * see `ipsWeights`) and w̄ the mean weight over the whole training set, so that the loss keeps the scale of the
 * unweighted MSE and each batch is an unbiased estimate of the full weighted mean.
 */
export function ipsMseLoss(pred: tf.Tensor2D, batch: Batch, meanWeight: number): tf.Scalar {
  if (!batch.weight)
    throw new Error('ipsMseLoss: the batch has no row weights (build the DeviceTable with ipsWeights)');
  const weight = batch.weight;
  return tf.tidy(() => tf.div(tf.mean(tf.mul(weight, factualSquaredErrors(pred, batch))), meanWeight) as tf.Scalar);
}
