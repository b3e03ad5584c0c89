import type * as tf from '@tensorflow/tfjs';
import type { Batch } from '../device-table.js';
import { decisionLoss, type DecisionContext } from '../dfcl-objective.js';
import { mlpForward, type MlpSpec } from '../mlp.js';

/**
 * Bi-DFCL upper level (docs/method.md §3.5): PPL or PIFD of the Target θ on an RCT batch at the batch's λ*
 * (found by IPW bisection on the current predictions for the training budget, docs/method.md §3.3). Only the decision
 * loss: the prediction loss enters through the lower level. λ* and the PIFD weights are constants for gradients.
 */
export function upperLoss(
  theta: tf.Tensor[],
  rctBatch: Batch,
  kind: 'ppl' | 'pifd',
  decision: DecisionContext,
  spec: MlpSpec,
): { loss: tf.Scalar; lambda: number } {
  const out = decisionLoss(kind, mlpForward(theta, rctBatch.x, spec, rctBatch.xT), rctBatch, decision);
  return { loss: out.loss, lambda: out.lambda ?? Number.NaN };
}
