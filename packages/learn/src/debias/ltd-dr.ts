import * as tf from '@tensorflow/tfjs';
import type { FeatureTable } from '@bidfcl/contracts';
import type { Batch } from '../device-table.js';
import type { PropensityModel } from '../propensity-model.js';
import type { TargetScale } from '../uplift-model.js';
import { drLoss } from './debias-losses.js';
import { initLinearImputation, linearImputation } from './linear-imputation.js';
import type { DebiasParameterisation } from './meta-debias.js';

/**
 * LTD-DR's debiasing parameters (docs/method.md §3.9): φ = [W_p, b_p, W_i, b_i], learned propensities
 * p_φ(j | x) = softmax(x·W_p + b_p) (starting from the project's fitted propensity model) and a linear imputation
 * x·W_i + b_i (starting from the OBS arm means), both inside the DR loss of §3.7:
 * L_obs(θ, φ) = drLoss(f_θ(x), x·W_i + b_i, min(1/p_φ(t | x), maxWeight)).
 */
export function ltdDrParameterisation(
  propensity: PropensityModel,
  obs: FeatureTable,
  scale: TargetScale,
  maxWeight: number,
): DebiasParameterisation {
  const { d, m } = propensity;
  return {
    init: () => [
      tf.tensor2d(propensity.weights, [d, m]),
      tf.tensor1d(propensity.bias),
      ...initLinearImputation(obs, scale),
    ],
    loss(pred: tf.Tensor2D, phi: tf.Tensor[], batch: Batch): tf.Scalar {
      return tf.tidy(() => {
        const [wp, bp, wi, bi] = phi as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        const p = tf.softmax(linearImputation(batch.x, wp, bp));
        const inv = tf.minimum(tf.div(1, tf.sum(tf.mul(p, batch.oneHot), 1)), maxWeight) as tf.Tensor1D;
        return drLoss(pred, linearImputation(batch.x, wi, bi), batch, inv);
      });
    },
  };
}
