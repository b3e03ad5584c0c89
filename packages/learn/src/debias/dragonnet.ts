import * as tf from '@tensorflow/tfjs';
import type { Adam } from '../adam.js';
import { dense } from '../dense.js';
import type { Batch, DeviceTable } from '../device-table.js';
import { initMlp, mlpOutput, mlpRepresentation, type MlpSpec } from '../mlp.js';
import { factualMseLoss } from '../mse-losses.js';
import type { AuxiliaryTrainer } from '../train-loop.js';
import { AuxParams } from './aux-params.js';
import { propensityCrossEntropy, targetedRegularisation } from './debias-losses.js';

export interface DragonnetOptions {
  /** α: weight of the propensity head's cross-entropy. */
  propensityWeight: number;
  /** β: weight of the targeted regularisation. */
  targetedWeight: number;
  /** Clip of the clever covariate 1/g (training.maxIpsWeight). */
  maxWeight: number;
  learningRate: number;
}

/** DragonNet's three outputs on a batch: outcome heads [B, 2M] and propensity logits [B, M]. */
export function dragonnetForward(
  theta: tf.Tensor[],
  head: tf.Tensor[],
  spec: MlpSpec,
  batch: Pick<Batch, 'x' | 'xT'>,
): { pred: tf.Tensor2D; logits: tf.Tensor2D } {
  const rep = mlpRepresentation(theta, batch.x, spec, batch.xT);
  return {
    pred: mlpOutput(theta, rep, spec),
    logits: dense(rep, head[0] as tf.Tensor, head[1] as tf.Tensor, 'linear', true),
  };
}

/**
 * docs/method.md §3.8: L = factual MSE + α·CE(propensity head) + β·targeted regularisation, over θ (the shared
 * representation and the 2M outcome heads, the deployed model) and the extra parameters [W_g, b_g, ε].
 */
export function dragonnetLoss(
  theta: tf.Tensor[],
  head: tf.Tensor[],
  spec: MlpSpec,
  batch: Batch,
  opts: Pick<DragonnetOptions, 'propensityWeight' | 'targetedWeight' | 'maxWeight'>,
): tf.Scalar {
  return tf.tidy(() => {
    const { pred, logits } = dragonnetForward(theta, head, spec, batch);
    const ce = propensityCrossEntropy(logits, batch);
    const tr = targetedRegularisation(pred, logits, head[2] as tf.Tensor, batch, opts.maxWeight);
    const weighted = [tf.mul(opts.propensityWeight, ce), tf.mul(opts.targetedWeight, tr)];
    return tf.addN([factualMseLoss(pred, batch), ...weighted]) as tf.Scalar;
  });
}

/** The propensity head [W_g, b_g] (Glorot-normal, zero bias) and ε = 0, deterministic in `seed`. */
export function initDragonnetHead(spec: MlpSpec, m: number, seed: number): tf.Tensor[] {
  const width = spec.hidden[spec.hidden.length - 1] as number;
  const head = initMlp({ inputDim: width, hidden: [], outputDim: m, outputActivation: 'linear' }, seed);
  return [...head, tf.zeros([2 * m])];
}

/** DragonNet as an auxiliary trainer: one joint Adam step over θ and the head per batch. */
export function dragonnetTrainer(
  spec: MlpSpec,
  table: DeviceTable,
  opts: DragonnetOptions,
  seed: number,
): AuxiliaryTrainer & { head: AuxParams; dispose(): void } {
  const head = new AuxParams(initDragonnetHead(spec, table.m, seed), opts.learningRate, 'dragonnet');
  return {
    head,
    step(vars: tf.Variable[], adam: Adam, rows: Int32Array): number {
      const value = tf.tidy(() => {
        const batch = table.batch(rows);
        const { value: v, grads } = tf.variableGrads(
          () => dragonnetLoss(vars, head.vars, spec, batch, opts),
          [...vars, ...head.vars],
        );
        adam.step(vars.map((x) => grads[x.name] as tf.Tensor));
        head.stepFrom(grads);
        return v;
      });
      const out = (value.dataSync() as Float32Array)[0] as number;
      value.dispose();
      return out;
    },
    getState: () => head.getState(),
    setState: (s) => head.setState(s),
    dispose: () => head.dispose(),
  };
}
