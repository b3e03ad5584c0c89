import * as tf from '@tensorflow/tfjs';
import type { FeatureTable } from '@bidfcl/contracts';
import type { Batch } from '../device-table.js';
import { factualSquaredErrors } from '../mse-losses.js';
import type { TargetScale } from '../uplift-model.js';
import { imputedErrors } from './debias-losses.js';
import { initLinearImputation, linearImputation } from './linear-imputation.js';
import type { DebiasParameterisation } from './meta-debias.js';

/** Exponents of the learned weights are clipped to ±this (weights within e^±6): see docs/method.md §3.10. */
export const MAX_LOG_WEIGHT = 6;
/** Initial weight of the imputed pairs, w2 = 0.01: training starts near tsm-obs's factual loss. */
const INITIAL_IMPUTATION_WEIGHT = 0.01;

/**
 * AutoDebias's debiasing parameters for M arms (docs/method.md §3.10): φ = [a1, b1, a2, b2, c2, W_m, b_m],
 *   w1_i  = exp(a1·x_i + b1_{t_i})                        (weight of the logged pair's error)
 *   w2_ij = exp(a2·x_i + b2_j + c2·1[j = t_i])            (weight of every pair's imputed error)
 *   m_ij  = x_i·W_m + b_m                                  (imputed revenue and cost, 2M columns)
 *   L_obs(θ, φ) = mean_i [ w1_i · e_{i,t_i} + (1/M) Σ_j w2_ij · ((m^r_ij − r̂_ij)² + (m^c_ij − ĉ_ij)²) ].
 * Starts at w1 = 1, w2 = 0.01 and m = per-arm ridge fits on the OBS rows.
 */
export function autodebiasParameterisation(obs: FeatureTable, scale: TargetScale): DebiasParameterisation {
  const { d, m } = obs;
  return {
    init: () => [
      tf.zeros([d, 1]),
      tf.zeros([m]),
      tf.zeros([d, 1]),
      tf.fill([m], Math.log(INITIAL_IMPUTATION_WEIGHT)),
      tf.zeros([1]),
      ...initLinearImputation(obs, scale),
    ],
    loss(pred: tf.Tensor2D, phi: tf.Tensor[], batch: Batch): tf.Scalar {
      return tf.tidy(() => {
        const [a1, b1, a2, b2, c2, wm, bm] = phi as tf.Tensor[] as [
          tf.Tensor2D,
          tf.Tensor,
          tf.Tensor2D,
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
        ];
        const clip = (z: tf.Tensor) => tf.exp(tf.clipByValue(z, -MAX_LOG_WEIGHT, MAX_LOG_WEIGHT));
        const ux = tf.matMul(batch.x, a1).reshape([-1]);
        const w1 = clip(tf.add(ux, tf.sum(tf.mul(batch.oneHot, b1), 1)));
        const factual = tf.mean(tf.mul(w1, factualSquaredErrors(pred, batch)));
        const w2 = clip(tf.add(tf.add(tf.matMul(batch.x, a2), b2), tf.mul(batch.oneHot, c2)));
        const eHat = imputedErrors(pred, linearImputation(batch.x, wm, bm), m);
        const imputed = tf.mean(tf.sum(tf.mul(w2, eHat), 1));
        return tf.add(factual, tf.div(imputed, m)) as tf.Scalar;
      });
    },
  };
}
