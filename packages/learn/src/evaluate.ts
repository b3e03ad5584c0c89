import * as tf from '@tensorflow/tfjs';
import type { FeatureTable, ScoreMatrix } from '@bidfcl/contracts';
import { eomAtBudget, fitArmRidge, ipwUniformRandomCost, predictArmRidge, rctOutcomesOf } from '@bidfcl/core';
import type { DeviceTable } from './device-table.js';
import { mlpForward, type MlpSpec } from './mlp.js';
import { factualSquaredErrors } from './mse-losses.js';
import { predictScores, type TargetScale } from './uplift-model.js';

/**
 * Factual MSE (standardised units) of the model on every row of `table` — the TSM early-stopping criterion.
 * Sums on the backend per chunk and reads one number per chunk.
 */
export function validationLoss(params: tf.Tensor[], spec: MlpSpec, table: DeviceTable, chunk = 8192): number {
  let total = 0;
  const rows = table.allRows();
  for (let s = 0; s < table.n; s += chunk) {
    const part = rows.subarray(s, Math.min(s + chunk, table.n));
    const sum = tf.tidy(() => {
      const batch = table.batch(part);
      return tf.sum(factualSquaredErrors(mlpForward(params, batch.x, spec), batch));
    });
    total += (sum.dataSync() as Float32Array)[0] as number;
    sum.dispose();
  }
  return total / table.n;
}

/** IPW EOM of the model on an RCT split (raw units) at a budget fraction of the uniform random cost. */
export interface ValidationEom {
  eom: number;
  lambda: number;
  cost: number;
  budgetPerUser: number;
}

/**
 * docs/method.md §3.5/§4 checkpoint criterion: predicted scores on the RCT validation split, λ by IPW bisection so
 * that the IPW cost meets `fraction` × (IPW cost of the uniform random assignment on the same split), and the
 * IPW revenue r̄(λ) of those decisions. With `direct` (see {@link validationDirect}) both the cost and the revenue
 * of the decisions are doubly robust instead; the budget stays the IPW cost of the random assignment.
 */
export function validationEom(
  params: tf.Tensor[],
  spec: MlpSpec,
  table: FeatureTable,
  scale: TargetScale,
  zeroCostArms: boolean[],
  propensities: ArrayLike<number>,
  fraction: number,
  direct?: ScoreMatrix,
): ValidationEom {
  const rct = rctOutcomesOf(table, propensities);
  const budgetPerUser = fraction * ipwUniformRandomCost(rct);
  const scores = predictScores(params, spec, table, scale, zeroCostArms);
  return { ...eomAtBudget(scores, rct, budgetPerUser, direct ? { direct } : {}), budgetPerUser };
}

/** One direct model per validation table (a training validates every epoch against the same one). */
const directModels = new WeakMap<FeatureTable, ScoreMatrix>();

/**
 * The direct model of doubly robust validation (training.validationEstimator `dr`; docs/method.md §4): a per-arm
 * ridge of revenue and cost fitted on the RCT training rows, predicted for the validation rows. Undefined for `ipw`.
 */
export function validationDirect(
  estimator: 'ipw' | 'dr',
  rct: FeatureTable,
  val: FeatureTable,
): ScoreMatrix | undefined {
  if (estimator === 'ipw') return undefined;
  let direct = directModels.get(val);
  if (!direct) {
    const ridge = fitArmRidge(rct.x, rct.d, rct.arm, rct.revenue, rct.cost, rct.m);
    direct = predictArmRidge(ridge, val.x, val.n);
    directModels.set(val, direct);
  }
  return direct;
}
