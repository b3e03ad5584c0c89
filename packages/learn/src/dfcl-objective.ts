import * as tf from '@tensorflow/tfjs';
import type { DfclConfig } from '@bidfcl/contracts';
import type { Batch } from './device-table.js';
import { difdLoss, pifdLoss, type IfdOptions } from './ifd-losses.js';
import { batchLambdaStar, dualLambdas, standardisedOutcomes, trainBudgetPerUser } from './lambda-selection.js';
import { rctArmWeights, rctMseLoss } from './mse-losses.js';
import { dplLoss, pplLoss } from './policy-losses.js';

/** The four DFCL decision losses (docs/method.md §3.2). */
export type DecisionLossKind = 'dpl' | 'difd' | 'ppl' | 'pifd';

/** Everything a decision loss needs, fixed for a training run (standardised units throughout). */
export interface DecisionContext extends IfdOptions {
  /** Weight of L_PL in L = α·L_PL + L_DL. */
  alpha: number;
  /** Λ for DPL/DIFD: DfclConfig.lambdas × lambdaScale. */
  lambdas: number[];
  /** Per-user training budget for λ* (PPL/PIFD). */
  budgetPerUser: number;
  /** §3.1 arm weights N / (M · N_j) of the training RCT. */
  armWeights: number[];
}

/** The training RCT's rows as the context builder needs them (standardised targets). */
export interface RctRows {
  arm: Int32Array;
  yr: ArrayLike<number>;
  yc: ArrayLike<number>;
  m: number;
}

/** Builds the fixed context from the config and the whole training RCT set. */
export function makeDecisionContext(
  dfcl: DfclConfig,
  rct: RctRows,
  propensities: ArrayLike<number>,
  zeroCostArms: boolean[],
): DecisionContext {
  return {
    tau: dfcl.tau,
    hMin: dfcl.hMin,
    hMax: dfcl.hMax,
    propensities,
    zeroCostArms,
    alpha: dfcl.alpha,
    lambdas: dualLambdas(dfcl, rct.yr, rct.yc),
    budgetPerUser: trainBudgetPerUser(dfcl, standardisedOutcomes(rct.arm, rct.yr, rct.yc, propensities)),
    armWeights: rctArmWeights(rct.arm, rct.m),
  };
}

/**
 * L_DL alone on a batch. PPL/PIFD read the predictions once, find λ* on the batch (`batchLambdaStar`) and
 * return it; DPL/DIFD use the fixed Λ. Safe inside tf.grad/variableGrads (the read happens on the tape's
 * forward pass; λ* and the IFD weights are constants).
 */
export function decisionLoss(
  kind: DecisionLossKind,
  pred: tf.Tensor2D,
  batch: Batch,
  ctx: DecisionContext,
): { loss: tf.Scalar; lambda?: number } {
  switch (kind) {
    case 'dpl':
      return { loss: dplLoss(pred, batch, ctx.lambdas, ctx) };
    case 'difd':
      return { loss: difdLoss(pred, batch, ctx.lambdas, ctx) };
    case 'ppl':
    case 'pifd': {
      const values = pred.dataSync();
      const lambda = batchLambdaStar(values, batch.host, ctx.propensities, ctx.zeroCostArms, ctx.budgetPerUser);
      const loss = kind === 'ppl' ? pplLoss(pred, batch, lambda, ctx) : pifdLoss(pred, batch, lambda, ctx, values);
      return { loss, lambda };
    }
  }
}

/** DFCL's objective L = α·L_PL(§3.1) + L_DL on an RCT batch. */
export function dfclLoss(kind: DecisionLossKind, pred: tf.Tensor2D, batch: Batch, ctx: DecisionContext): tf.Scalar {
  return tf.tidy(() => {
    const { loss } = decisionLoss(kind, pred, batch, ctx);
    return tf.add(tf.mul(rctMseLoss(pred, batch, ctx.armWeights), ctx.alpha), loss) as tf.Scalar;
  });
}
