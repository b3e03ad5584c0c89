import * as tf from '@tensorflow/tfjs';
import type { TrainingEpoch } from '@bidfcl/contracts';
import { validationDirect, validationEom, validationLoss } from '../evaluate.js';
import { arraysToParams, paramsToArrays } from '../params.js';
import { checkpointState, evaluated, inWarmStart, type BidfclRun } from './run.js';
import { competesForSelection } from './settings.js';
import { emptyEpochAcc } from './state.js';
import { selectionScore } from '../selection-window.js';
import { drainHypergradients } from './steps.js';
import type { BidfclEpochReport, BidfclResult } from './train-types.js';

/**
 * The epoch loop around Alg. 1 lines 3–6: whether another epoch runs. Epochs remain, and early stopping has not
 * struck: `patience` epochs without improvement, counted only once the bi-level phase has begun.
 */
export function keepsTraining(run: BidfclRun): boolean {
  const { epochs, patience } = run.settings.training;
  return run.epoch < epochs && !(run.best && run.epoch >= run.warmEpochs + 1 && run.badEpochs >= patience);
}

/**
 * The epoch's record (mean lower loss, mean upper loss when hypergradients were taken, validation MSE and IPW EOM
 * at dfcl.trainBudget) and its selection score (higher is better).
 */
function validate(run: BidfclRun, epoch: number, params: tf.Tensor[]): { record: TrainingEpoch; score: number } {
  const { ctx, data, epochAcc: acc } = run;
  const valLoss = validationLoss(params, ctx.spec, run.valTable);
  const { val, scale, zeroCostArms, propensities } = data;
  const budget = run.settings.dfcl.trainBudget;
  const direct = validationDirect(run.settings.training.validationEstimator, data.rct, val);
  const valEom = validationEom(params, ctx.spec, val, scale, zeroCostArms, propensities, budget, direct).eom;
  const lowerLoss = acc.lowerLossSum / Math.max(acc.lowerSteps, 1);
  const record: TrainingEpoch = { epoch, lowerLoss, valLoss, valEom };
  if (acc.hypergradients > 0) record.upperLoss = acc.upperLossSum / acc.hypergradients;
  return { record, score: run.selectBy === 'valEom' ? valEom : -valLoss };
}

/**
 * Alg. 1 line 6, after each epoch ("checkpoint selection by validation EOM"): applies the hypergradients still in
 * flight, validates the evaluated parameters (θ, or
 * its average), keeps the best epoch by `selectBy` among those that compete (see `competesForSelection`), counts
 * epochs without improvement, then advances to the next epoch and hands out a checkpoint and the epoch's report.
 */
export async function endEpoch(run: BidfclRun): Promise<void> {
  await drainHypergradients(run);
  const { settings, hooks, epochAcc: acc } = run;
  const epoch = run.epoch + 1;
  const params = evaluated(run);
  const { record, score: own } = validate(run, epoch, params);
  run.history.push(record);
  const score = selectionScore(run.history, run.selectBy, settings.training.selectionWindow, own);
  if (competesForSelection(epoch, run.warmEpochs, settings.training.epochs)) {
    if (!run.best || score > run.best.score) {
      const theta = paramsToArrays(params, run.names);
      run.best = { epoch, score, theta, phi: paramsToArrays(run.phi.vars, run.bridgeNames) };
      run.badEpochs = 0;
    } else run.badEpochs += 1;
  }
  const report: BidfclEpochReport = {
    ...record,
    epochs: settings.training.epochs,
    phase: inWarmStart(run) ? 'warm-start' : 'bi-level',
    hypergradients: acc.hypergradients,
    cgIterations: acc.cgIterations,
    negativeCurvatureStops: acc.negativeCurvatureStops,
  };
  run.epoch = epoch;
  run.batchInEpoch = 0;
  run.epochAcc = emptyEpochAcc();
  if (hooks.checkpoint) await hooks.checkpoint(checkpointState(run));
  if (hooks.onEpoch) await hooks.onEpoch(report);
}

/**
 * Alg. 1's output: the selected epoch's θ (or its average) and φ, the frozen Teacher, and the evaluated parameters
 * after the last epoch when that is not the selected one.
 */
export function finishRun(run: BidfclRun): BidfclResult {
  const { best, settings, ctx } = run;
  if (!best) {
    const resumedAt = run.hooks.resume?.epoch ?? 0;
    const { epochs } = settings.training;
    throw new Error(`${run.method}: no epoch was trained (epochs ${epochs}, resumed at ${resumedAt})`);
  }
  const result: BidfclResult = {
    params: arraysToParams(best.theta, run.names),
    spec: ctx.spec,
    history: run.history,
    selectedEpoch: best.epoch,
    selectedBy: run.selectBy,
    teacher: run.teacher.params,
    bridge: arraysToParams(best.phi, run.bridgeNames),
    bridgeSpec: ctx.bridgeSpec,
    lastEpoch: run.epoch,
    teacherSelectedEpoch: run.teacher.selectedEpoch,
    warmStartEpochs: run.warmEpochs,
    selectBy: run.selectBy,
    hypergradients: run.totals.hypergradients,
    cgIterations: run.totals.cgIterations,
    negativeCurvatureStops: run.totals.negativeCurvatureStops,
  };
  if (best.epoch !== run.epoch) result.lastParams = evaluated(run).map((v) => tf.clone(v));
  return result;
}
