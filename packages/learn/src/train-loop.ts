import * as tf from '@tensorflow/tfjs';
import type { SelectionCriterion, TrainingEpoch } from '@bidfcl/contracts';
import { createRng, deriveSeed } from '@bidfcl/core';
import { Adam, type AdamState } from './adam.js';
import type { Batch, DeviceTable } from './device-table.js';
import { mlpForward, paramNames, type MlpSpec } from './mlp.js';
import { arraysToParams, ParamSet, paramsToArrays, type NamedArray } from './params.js';
import { selectionScore } from './selection-window.js';

/** Everything needed to continue a run after its last completed epoch (plain data, JSON/artefact friendly). */
export interface TrainerState {
  method: string;
  /** Epochs completed. */
  epoch: number;
  params: NamedArray[];
  adam: AdamState;
  best: { epoch: number; score: number; params: NamedArray[] } | null;
  /** Epochs since the best one (early stopping). */
  badEpochs: number;
  history: TrainingEpoch[];
  /** The state of the loop's `auxiliary` trainer, when it has one. */
  aux?: AuxiliaryState;
}

/** Parameters beside θ and their optimiser, as plain data (an auxiliary trainer's checkpoint). */
export interface AuxiliaryState {
  params: NamedArray[];
  adam: AdamState;
}

/**
 * A method with trainable state beside θ (docs/method.md §3.7–§3.10: DragonNet's propensity head, DR-JT's
 * imputation model, the meta-learned debiasing parameters): it replaces `trainStep` for every batch and its
 * state travels in the checkpoint, so a resumed run still equals an uninterrupted one. The caller disposes it.
 */
export interface AuxiliaryTrainer {
  /**
   * One training step on the rows: updates θ (`vars`, with `adam`) and its own parameters; returns the batch
   * loss. `epoch` (1-based) and `step` (0-based within the epoch) seed any draw the step makes.
   */
  step(vars: tf.Variable[], adam: Adam, rows: Int32Array, at: { epoch: number; step: number }): number;
  getState(): AuxiliaryState;
  setState(state: AuxiliaryState): void;
}

/** Per-epoch report: the contract's TrainingEpoch plus the planned number of epochs. */
export type EpochReport = TrainingEpoch & { epochs: number };

export interface TrainHooks {
  onEpoch?(e: EpochReport): void | Promise<void>;
  /**
   * Continue from this state (its method must match; pass the same data, config and seed). Epoch shuffles are
   * derived from (seed, epoch) and Adam's state is restored exactly, so the result equals an uninterrupted run.
   */
  resume?: TrainerState;
  /** Called after every epoch with the state to persist. */
  checkpoint?(state: TrainerState): void | Promise<void>;
}

export interface TrainResult {
  /** Selected (best-validation) parameters. */
  params: tf.Tensor[];
  spec: MlpSpec;
  history: TrainingEpoch[];
  /** 1-based epoch of `params`. */
  selectedEpoch: number;
  /** What `score` of `validate` measured, recorded so the report can say what selected the checkpoint. */
  selectedBy?: SelectionCriterion;
  /** Parameters after the last epoch trained, when they differ from the selected ones (absent if diverged). */
  lastParams?: tf.Tensor[];
  /** Epoch in which the loss or the parameters became non-finite; training stopped there. */
  divergedAt?: number;
}

/** How one method trains, given to `runTrainingLoop`. */
export interface LoopSpec {
  method: string;
  spec: MlpSpec;
  train: DeviceTable;
  epochs: number;
  batchSize: number;
  learningRate: number;
  patience: number;
  seed: number;
  initParams: () => tf.Tensor[];
  /** Training loss of a batch given the model's [B, 2M] output (called inside variableGrads). */
  loss(pred: tf.Tensor2D, batch: Batch): tf.Scalar;
  /** Which TrainingEpoch field the mean training loss goes to. */
  lossField: 'lowerLoss' | 'upperLoss';
  /** Validation after an epoch: the fields to report and the selection score (higher is better). */
  validate(params: tf.Tensor[]): { fields: Partial<TrainingEpoch>; score: number };
  /** What the score of `validate` is, handed back as TrainResult.selectedBy. */
  selectedBy?: SelectionCriterion;
  /** With selectedBy 'valEom': score each epoch by the mean valEom of the last this many (windowedValEom). */
  selectionWindow?: number;
  /** Replaces `trainStep` (and so `loss`) for methods with parameters beside θ. */
  auxiliary?: AuxiliaryTrainer;
}

/**
 * One optimiser step on the given rows: forward, loss, gradients (custom dense gradients), Adam update.
 * Returns the batch loss (one scalar read). Exported so that benchmarks time exactly the trainers' step.
 */
export function trainStep(
  vars: tf.Variable[],
  adam: Adam,
  spec: MlpSpec,
  table: DeviceTable,
  rows: Int32Array,
  loss: (pred: tf.Tensor2D, batch: Batch) => tf.Scalar,
): number {
  const value = tf.tidy(() => {
    const batch = table.batch(rows);
    const { value: v, grads } = tf.variableGrads(() => loss(mlpForward(vars, batch.x, spec, batch.xT), batch), vars);
    adam.step(vars.map((x) => grads[x.name] as tf.Tensor));
    return v;
  });
  const out = (value.dataSync() as Float32Array)[0] as number;
  value.dispose();
  return out;
}

/** True when every parameter value is finite. */
function allFinite(params: tf.Tensor[]): boolean {
  for (const p of params) {
    const v = p.dataSync();
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i] as number)) return false;
  }
  return true;
}

/** Row order of an epoch: a seeded shuffle, so that a resumed run sees the same batches. */
function epochOrder(n: number, seed: number, epoch: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  createRng(deriveSeed(seed, 'shuffle', epoch)).shuffle(order);
  return order;
}

/**
 * Adam over shuffled minibatches with per-epoch validation, best-checkpoint selection and early stopping
 * after `patience` epochs without improvement. Batches are full-size: the remainder of an epoch (< batchSize
 * rows) is skipped, and rows are reshuffled every epoch, so no row is left out systematically (a tiny last
 * batch would give a noisy step and, for PPL/PIFD, a meaningless batch λ*).
 */
export async function runTrainingLoop(loop: LoopSpec, hooks: TrainHooks = {}): Promise<TrainResult> {
  const { spec, train } = loop;
  const names = paramNames(spec);
  const resume = hooks.resume;
  if (resume && resume.method !== loop.method)
    throw new Error(`resume state is for '${resume.method}', not '${loop.method}'`);
  const init = resume ? arraysToParams(resume.params, names) : loop.initParams();
  const vars = new ParamSet(init);
  init.forEach((t) => t.dispose());
  const adam = new Adam(vars.vars, { learningRate: loop.learningRate });
  if (resume) adam.setState(resume.adam);
  const aux = loop.auxiliary;
  if (resume && aux) {
    if (!resume.aux) throw new Error(`resume state of '${loop.method}' has no auxiliary parameters`);
    aux.setState(resume.aux);
  }
  let best = resume?.best ?? null;
  let badEpochs = resume?.badEpochs ?? 0;
  const history = [...(resume?.history ?? [])];
  const batchSize = Math.min(loop.batchSize, train.n);
  let epoch = resume?.epoch ?? 0;
  let divergedAt: number | undefined;
  try {
    while (epoch < loop.epochs && !(best && badEpochs >= loop.patience)) {
      epoch += 1;
      const order = epochOrder(train.n, loop.seed, epoch);
      let lossSum = 0;
      let steps = 0;
      for (let s = 0; s + batchSize <= train.n; s += batchSize) {
        const rows = order.subarray(s, s + batchSize);
        lossSum += aux
          ? aux.step(vars.vars, adam, rows, { epoch, step: steps })
          : trainStep(vars.vars, adam, spec, train, rows, loop.loss);
        steps += 1;
      }
      if (!Number.isFinite(lossSum) || !allFinite(vars.vars)) {
        // Diverged (e.g. a decision loss with too small an α): stop, keep the best finite checkpoint.
        divergedAt = epoch;
        history.push({ epoch });
        if (hooks.onEpoch) await hooks.onEpoch({ epoch, epochs: loop.epochs });
        break;
      }
      const validated = loop.validate(vars.vars);
      const record: TrainingEpoch = { epoch, [loop.lossField]: lossSum / Math.max(steps, 1), ...validated.fields };
      history.push(record);
      const score = selectionScore(history, loop.selectedBy, loop.selectionWindow ?? 1, validated.score);
      if (!best || score > best.score) {
        best = { epoch, score, params: paramsToArrays(vars.vars, names) };
        badEpochs = 0;
      } else badEpochs += 1;
      if (hooks.checkpoint) {
        await hooks.checkpoint({
          method: loop.method,
          epoch,
          params: paramsToArrays(vars.vars, names),
          adam: adam.getState(),
          best,
          badEpochs,
          history: [...history],
          ...(aux ? { aux: aux.getState() } : {}),
        });
      }
      if (hooks.onEpoch) await hooks.onEpoch({ ...record, epochs: loop.epochs });
    }
    if (!best) {
      if (divergedAt !== undefined)
        throw new Error(
          `${loop.method}: training diverged in epoch ${divergedAt} (non-finite loss or parameters); ` +
            'use a larger alpha or a smaller learning rate',
        );
      throw new Error(`${loop.method}: no epoch was trained (epochs ${loop.epochs}, resumed at ${resume?.epoch ?? 0})`);
    }
    const result: TrainResult = {
      params: arraysToParams(best.params, names),
      spec,
      history,
      selectedEpoch: best.epoch,
      ...(loop.selectedBy ? { selectedBy: loop.selectedBy } : {}),
    };
    if (divergedAt !== undefined) result.divergedAt = divergedAt;
    else if (best.epoch !== epoch) result.lastParams = vars.snapshot();
    return result;
  } finally {
    adam.dispose();
    vars.dispose();
  }
}
