import * as tf from '@tensorflow/tfjs';
import type { Batch, HostBatch } from './device-table.js';
import { combineHeads } from './heads.js';
import { costMaskOf } from './uplift-model.js';

/** What every decision-focused loss needs besides λ. */
export interface PolicyLossOptions {
  /** Softmax temperature in standardised score units (DfclConfig.tau). */
  tau: number;
  /** RCT assignment probability p_j of each arm. */
  propensities: ArrayLike<number>;
  /** Arms that cost nothing by definition: their ĉ is fixed to 0 in every score (docs/method.md §3.6). */
  zeroCostArms: boolean[];
}

/** Inverse assignment probability 1/p_{t_i} of each row's factual arm. */
export function inversePropensities(host: HostBatch, propensities: ArrayLike<number>): Float32Array {
  const w = new Float32Array(host.n);
  for (let i = 0; i < host.n; i++) {
    const p = propensities[host.arm[i] as number];
    if (!(p !== undefined && p > 0)) throw new Error(`inversePropensities: arm ${host.arm[i]} has propensity ${p}`);
    w[i] = 1 / p;
  }
  return w;
}

/** Decision scores a_ij = r̂_ij − λ ĉ_ij with ĉ = 0 on zero-cost arms, shape [B, M]. */
export function policyScores(pred: tf.Tensor2D, lambda: number, zeroCostArms: boolean[]): tf.Tensor2D {
  return combineHeads(
    pred,
    zeroCostArms.map(() => 1),
    costMaskOf(zeroCostArms).map((k) => -lambda * k),
  );
}

/** −mean_i[(1/p_{t_i}) · v_i · softmax_j(a_ij/τ)[t_i]] for one λ and per-row values v (a [B] tensor). */
function softmaxPolicyLoss(
  pred: tf.Tensor2D,
  batch: Batch,
  lambda: number,
  value: tf.Tensor1D,
  opts: PolicyLossOptions,
): tf.Scalar {
  return tf.tidy(() => {
    const z = tf.softmax(tf.div(policyScores(pred, lambda, opts.zeroCostArms), opts.tau));
    const zt = tf.sum(tf.mul(z, batch.oneHot), 1);
    const ipw = tf.tensor1d(inversePropensities(batch.host, opts.propensities));
    return tf.neg(tf.mean(tf.mul(tf.mul(ipw, value), zt))) as tf.Scalar;
  });
}

/**
 * PPL (docs/method.md §3.2): z' = softmax_j((r̂_ij − λ* ĉ_ij)/τ); L_PPL = −mean_i[(N/N_{t_i}) z'_{i,t_i} y_r,i],
 * with N/N_{t_i} = 1/p_{t_i} and λ* the multiplier that meets the training budget (see `batchLambdaStar`).
 */
export function pplLoss(pred: tf.Tensor2D, batch: Batch, lambda: number, opts: PolicyLossOptions): tf.Scalar {
  return softmaxPolicyLoss(pred, batch, lambda, batch.yr, opts);
}

/**
 * DPL (docs/method.md §3.2): −Σ_{λ∈Λ} mean_i (N/N_{t_i}) (y_r,i − λ y_c,i) · softmax_j((r̂_ij − λ ĉ_ij)/τ)[t_i].
 * The formula's Σ_i is taken as a mean (÷ N, a constant) so that the loss does not grow with the batch size.
 */
export function dplLoss(pred: tf.Tensor2D, batch: Batch, lambdas: number[], opts: PolicyLossOptions): tf.Scalar {
  return tf.tidy(() => {
    const terms = lambdas.map((lambda) =>
      softmaxPolicyLoss(pred, batch, lambda, tf.sub(batch.yr, tf.mul(batch.yc, lambda)) as tf.Tensor1D, opts),
    );
    return tf.addN(terms) as tf.Scalar;
  });
}
