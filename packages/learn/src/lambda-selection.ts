import type { DfclConfig } from '@bidfcl/contracts';
import { ipwLambda, ipwUniformRandomCost, type RctOutcomes } from '@bidfcl/core';
import type { HostBatch } from './device-table.js';

/** Standardised RCT outcomes (targets ÷ scale) in core's IPW shape. */
export function standardisedOutcomes(
  arm: Int32Array,
  yr: ArrayLike<number>,
  yc: ArrayLike<number>,
  propensities: ArrayLike<number>,
): RctOutcomes {
  return { arm, revenue: Float64Array.from(yr), cost: Float64Array.from(yc), propensities };
}

/**
 * The budget per user PPL/PIFD train for, in standardised cost units:
 * DfclConfig.trainBudget × the IPW cost of the uniform random assignment on the (whole) training RCT.
 */
export function trainBudgetPerUser(dfcl: DfclConfig, rct: RctOutcomes): number {
  return dfcl.trainBudget * ipwUniformRandomCost(rct);
}

/**
 * The λ set Λ of DPL/DIFD in standardised units: DfclConfig.lambdas × lambdaScale, where 'auto' is
 * mean RCT revenue / mean RCT cost (a typical return on spend; the same ratio in any unit system once both
 * targets are standardised).
 */
export function dualLambdas(dfcl: DfclConfig, yr: ArrayLike<number>, yc: ArrayLike<number>): number[] {
  let scale: number;
  if (dfcl.lambdaScale === 'auto') {
    let sr = 0;
    let sc = 0;
    for (let i = 0; i < yr.length; i++) {
      sr += yr[i] as number;
      sc += yc[i] as number;
    }
    if (!(sc > 0)) throw new Error('dualLambdas: lambdaScale auto needs a positive mean RCT cost');
    scale = sr / sc;
  } else scale = dfcl.lambdaScale;
  return dfcl.lambdas.map((l) => l * scale);
}

/**
 * Upper bound on a training λ* (standardised units; typical values are 0.1–10). When a model's predicted costs
 * collapse towards 0 (softplus outputs underflow), the bisection's bracket max r̂/ĉ explodes, and a λ beyond
 * float32 range turns r̂ − λĉ and its gradient into NaN. Capping keeps the step finite.
 */
export const MAX_TRAINING_LAMBDA = 1e6;

/**
 * λ* for PPL/PIFD on one batch (paper Alg. 2, docs/method.md §3.3): core's IPW bisection on the batch's current
 * predictions (standardised, ĉ = 0 on zero-cost arms) and its realised outcomes, for `budgetPerUser`.
 * Decision: per batch rather than on the whole RCT set — it uses the exact parameters being differentiated
 * (a whole-set λ* would be stale by up to an epoch, or cost a full forward pass and read every step), and the
 * batch is a random sample of the same population, so its λ* is a noisy, unbiased-in-spirit estimate whose
 * noise only blurs the training budget slightly.
 */
export function batchLambdaStar(
  predValues: ArrayLike<number>,
  host: HostBatch,
  propensities: ArrayLike<number>,
  zeroCostArms: boolean[],
  budgetPerUser: number,
): number {
  const { n, m } = host;
  const r = new Float64Array(n * m);
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      r[i * m + j] = predValues[i * 2 * m + j] as number;
      c[i * m + j] = zeroCostArms[j] ? 0 : (predValues[i * 2 * m + m + j] as number);
    }
  }
  const { lambda } = ipwLambda(
    { n, m, r, c },
    standardisedOutcomes(host.arm, host.yr, host.yc, propensities),
    budgetPerUser,
  );
  return Math.min(lambda, MAX_TRAINING_LAMBDA);
}
