import * as tf from '@tensorflow/tfjs';
import type { TrainingEpoch } from '@bidfcl/contracts';
import { createRng, deriveSeed } from '@bidfcl/core';
import { Adam } from '../adam.js';
import type { HypergradAnswer } from '../bilevel/hypergradient.js';
import { flatFromTensors, tensorsFromFlat } from '../bilevel/tensor-closures.js';
import { DeviceTable } from '../device-table.js';
import { validationEom, validationLoss } from '../evaluate.js';
import { initMlp, mlpForward, paramNames, type MlpSpec } from '../mlp.js';
import { factualMseLoss } from '../mse-losses.js';
import { arraysToParams, ParamSet, paramsToArrays, type NamedArray } from '../params.js';
import type { EpochReport, TrainResult } from '../train-loop.js';
import { trainModel } from '../train-model.js';
import type { HypergradSeeds } from './batches.js';
import { ParamAverage } from './ema.js';
import { createBidfclContext, lowerBatch, type BidfclContext, type BidfclData } from './context.js';
import { hypergradStepFromSeeds } from './hypergrad-step.js';
import { fixedGates, gateValues, lowerLossFromPred } from './lower-level.js';
import { competesForSelection, methodParts, selectionCriterion, type BidfclMethod, type BidfclSettings } from './settings.js';
import { emptyEpochAcc, emptyTotals, type BidfclState } from './state.js';

/** Asks for ∇φ L_up at the current (θ, φ); the batches are fixed by `seeds` (see `selectHypergradBatches`). */
export type RequestHypergradient = (step: number, theta: Float32Array, phi: Float32Array, seeds: HypergradSeeds) => Promise<HypergradAnswer>;

/** Per-epoch report: the contract's TrainingEpoch, the planned epochs, the phase and hypergradient counts. */
export type BidfclEpochReport = EpochReport & {
  phase: 'warm-start' | 'bi-level';
  hypergradients: number;
  cgIterations: number;
  negativeCurvatureStops: number;
};

export interface BidfclHooks {
  onEpoch?(e: BidfclEpochReport): void | Promise<void>;
  /** Default: in-process `hypergradStepFromSeeds` on the trainer's own context. */
  requestHypergradient?: RequestHypergradient;
  /** Receives the state to persist after every epoch (and every `checkpointEveryBatches` batches). */
  checkpoint?(state: BidfclState): void | Promise<void>;
  checkpointEveryBatches?: number;
  /** After every applied hypergradient: its step number, wall time of the request and diagnostics. */
  onHypergradient?(info: Omit<HypergradAnswer, 'gradPhi'> & { step: number; ms: number }): void | Promise<void>;
  /** Continue from a checkpoint (its method must match). */
  resume?: BidfclState;
  /**
   * The frozen Teacher ψ, once it is known (after pretraining, or at once on resume) and before the first
   * hypergradient request: a worker that computes hypergradients elsewhere needs it.
   */
  onTeacher?(teacher: NamedArray[], selectedEpoch: number): void | Promise<void>;
}

export interface BidfclResult extends TrainResult {
  teacher: tf.Tensor[];
  /** Bridge parameters at the selected epoch (fixgate: never updated). */
  bridge: tf.Tensor[];
  bridgeSpec: MlpSpec;
  lastEpoch: number;
  teacherSelectedEpoch: number;
  warmStartEpochs: number;
  selectBy: 'valEom' | 'valLoss';
  hypergradients: number;
  cgIterations: number;
  negativeCurvatureStops: number;
}

/** Seeds of the `step`-th hypergradient of a run. */
export function hypergradSeeds(seed: number, step: number): HypergradSeeds {
  return { obsBatchSeed: deriveSeed(seed, 'hypergrad', 'obs', step), rctBatchSeed: deriveSeed(seed, 'hypergrad', 'rct', step) };
}

function epochOrder(n: number, seed: number, epoch: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  createRng(deriveSeed(seed, 'bidfcl', 'shuffle', epoch)).shuffle(order);
  return order;
}

/**
 * Pretrains the Teacher ψ with the factual MSE and early stopping on the validation MSE: on the RCT split
 * (bidfcl.teacherData 'rct', tsm-rct, the paper's) or on RCT and OBS rows pooled ('rct+obs', tsm-both, so that
 * the Teacher is at least as strong as a Target trained on those rows, at the price of the OBS rows' bias, which
 * the gates weigh). The run's training config is overridden by bidfcl.teacher; hidden sizes stay the Target's.
 */
async function trainTeacher(data: BidfclData, settings: BidfclSettings): Promise<{ params: tf.Tensor[]; selectedEpoch: number }> {
  // Only the overrides that are set: an absent key keeps the run's own value.
  const overrides = Object.fromEntries(Object.entries(settings.bidfcl.teacher).filter(([, v]) => v !== undefined));
  const training = { ...settings.training, ...overrides, hidden: settings.training.hidden };
  const res = await trainModel(settings.bidfcl.teacherData === 'rct+obs' ? 'tsm-both' : 'tsm-rct', data, { training, dfcl: settings.dfcl, seed: deriveSeed(settings.seed, 'teacher') });
  if (res.lastParams) tf.dispose(res.lastParams);
  return { params: res.params, selectedEpoch: res.selectedEpoch };
}

/**
 * Bi-DFCL training (METHOD.md §3.5, paper Alg. 1). Pretrains the Teacher (on RCT, or RCT+OBS with
 * bidfcl.teacherData 'rct+obs'); warm-starts the Target on the
 * lower-level data with the factual MSE for round(warmStartFraction × epochs) epochs; then, for every lower batch,
 * every k batches requests ∇φ L_up for the current (θ, φ) and steps φ with its own Adam, and steps θ on L_low with
 * the current gates. bidfcl-fixgate keeps every gate at `fixGate` and never asks for a hypergradient.
 * After each epoch: validation MSE and IPW EOM at dfcl.trainBudget; the best epoch by `selectBy` is kept and
 * training stops after `patience` epochs without improvement (not before the bi-level phase has begun).
 * With bidfcl.averaging 'ema' a bias-corrected moving average of θ over the bi-level phase's lower steps (see
 * `emaWeight`) is what epochs are validated, selected and returned by (params, lastParams); θ itself trains on.
 * Deterministic in settings.seed; a run resumed from any checkpoint ends with the same parameters.
 * The caller disposes params, lastParams, teacher and bridge.
 */
export async function trainBidfcl(method: BidfclMethod, data: BidfclData, settings: BidfclSettings, hooks: BidfclHooks = {}): Promise<BidfclResult> {
  const { training, bidfcl, dfcl, seed } = settings;
  const parts = methodParts(method);
  const resume = hooks.resume;
  if (resume && resume.method !== method) throw new Error(`resume state is for '${resume.method}', not '${method}'`);
  const averaging = bidfcl.averaging === 'ema';
  if (resume && (resume.ema !== undefined) !== (averaging && resume.biBatches > 0)) {
    throw new Error(`resume state ${resume.ema ? 'has' : 'lacks'} a parameter average but bidfcl.averaging is '${bidfcl.averaging}' after ${resume.biBatches} bi-level batches`);
  }
  const teacherRun = resume ? null : await trainTeacher(data, settings);
  const teacherParams = teacherRun ? teacherRun.params : arraysToParams(resume!.teacher);
  const teacherSelectedEpoch = teacherRun ? teacherRun.selectedEpoch : resume!.teacherSelectedEpoch;
  const ctx = createBidfclContext(data, teacherParams, settings);
  const { spec, bridgeSpec } = ctx;
  const names = paramNames(spec);
  const bridgeNames = paramNames(bridgeSpec);
  const valTable = new DeviceTable(data.val, data.scale);
  const thetaInit = resume ? arraysToParams(resume.theta, names) : initMlp(spec, deriveSeed(seed, 'init'));
  const phiInit = resume ? arraysToParams(resume.phi, bridgeNames) : initMlp(bridgeSpec, deriveSeed(seed, 'bridge-init'));
  const theta = new ParamSet(thetaInit);
  const phi = new ParamSet(phiInit);
  tf.dispose([...thetaInit, ...phiInit]);
  // The average of θ over the bi-level phase's lower steps (t = biBatches); its start value is overwritten at t = 1.
  const averageInit = averaging ? (resume?.ema ? arraysToParams(resume.ema, names) : theta.snapshot()) : null;
  const average = averageInit ? new ParamAverage(averageInit) : null;
  if (averageInit) tf.dispose(averageInit);
  /** The parameters epochs are validated, selected and returned by: the average once it has an iterate. */
  const evaluated = (): tf.Tensor[] => (average && biBatches > 0 ? average.vars : theta.vars);
  const thetaAdam = new Adam(theta.vars, { learningRate: training.learningRate });
  const phiAdam = new Adam(phi.vars, { learningRate: bidfcl.phiLearningRate });
  if (resume) {
    thetaAdam.setState(resume.thetaAdam);
    phiAdam.setState(resume.phiAdam);
  }
  const request: RequestHypergradient =
    hooks.requestHypergradient ??
    (async (_step, th, ph, seeds) => hypergradStepFromSeeds(ctx, { theta: th, phi: ph }, seeds, settings, parts!.kind, parts!.variant));
  const selectBy = selectionCriterion(bidfcl);
  const warmEpochs = Math.min(training.epochs, Math.round(bidfcl.warmStartFraction * training.epochs));
  const batchSize = Math.min(training.batchSize, ctx.lower.n);
  const batchesPerEpoch = Math.floor(ctx.lower.n / batchSize);

  let epoch = resume?.epoch ?? 0;
  let batchInEpoch = resume?.batchInEpoch ?? 0;
  let biBatches = resume?.biBatches ?? 0;
  let best = resume?.best ?? null;
  let badEpochs = resume?.badEpochs ?? 0;
  const history: TrainingEpoch[] = [...(resume?.history ?? [])];
  const totals = { ...(resume?.totals ?? emptyTotals()) };
  let acc = { ...(resume?.epochAcc ?? emptyEpochAcc()) };
  const teacherArrays = resume?.teacher ?? paramsToArrays(teacherParams, names);
  if (hooks.onTeacher) await hooks.onTeacher(teacherArrays, teacherSelectedEpoch);

  const snapshot = (): BidfclState => ({
    method,
    epoch,
    batchInEpoch,
    biBatches,
    teacher: teacherArrays,
    teacherSelectedEpoch,
    theta: paramsToArrays(theta.vars, names),
    phi: paramsToArrays(phi.vars, bridgeNames),
    thetaAdam: thetaAdam.getState(),
    phiAdam: phiAdam.getState(),
    ...(average && biBatches > 0 ? { ema: average.toArrays(names) } : {}),
    best,
    badEpochs,
    history: [...history],
    totals: { ...totals },
    epochAcc: { ...acc },
  });

  try {
    while (epoch < training.epochs && !(best && epoch >= warmEpochs + 1 && badEpochs >= training.patience)) {
      const current = epoch + 1;
      const warm = current <= warmEpochs;
      const order = epochOrder(ctx.lower.n, seed, current);
      while (batchInEpoch < batchesPerEpoch) {
        const rows = order.subarray(batchInEpoch * batchSize, (batchInEpoch + 1) * batchSize);
        if (!warm && parts && biBatches % bidfcl.k === 0) {
          const step = totals.hypergradients;
          const started = performance.now();
          const hg = await request(step, flatFromTensors(theta.vars), flatFromTensors(phi.vars), hypergradSeeds(seed, step));
          const ms = performance.now() - started;
          const g = tensorsFromFlat(hg.gradPhi, phi.vars.map((v) => v.shape));
          phiAdam.step(g);
          tf.dispose(g);
          for (const t of [totals, acc]) {
            t.hypergradients += 1;
            t.cgIterations += hg.cgIterations;
            t.negativeCurvatureStops += hg.negativeCurvatureStops;
            t.upperLossSum += hg.upperLoss;
          }
          if (hooks.onHypergradient) {
            await hooks.onHypergradient({ step, ms, cgIterations: hg.cgIterations, negativeCurvatureStops: hg.negativeCurvatureStops, upperLoss: hg.upperLoss });
          }
        }
        const value = tf.tidy(() => {
          const { batch, teacher } = lowerBatch(ctx, rows);
          const gates = warm ? null : parts ? gateValues(phi.vars, batch.x, bridgeSpec) : fixedGates(rows.length, spec.outputDim, bidfcl.fixGate);
          const { value: v, grads } = tf.variableGrads(() => {
            const pred = mlpForward(theta.vars, batch.x, spec, batch.xT);
            return gates ? lowerLossFromPred(pred, gates, teacher, batch) : factualMseLoss(pred, batch);
          }, theta.vars);
          thetaAdam.step(theta.vars.map((x) => grads[x.name] as tf.Tensor));
          return v;
        });
        acc.lowerLossSum += (value.dataSync() as Float32Array)[0] as number;
        acc.lowerSteps += 1;
        value.dispose();
        batchInEpoch += 1;
        if (!warm) {
          biBatches += 1;
          average?.update(theta.vars, bidfcl.emaDecay, biBatches);
        }
        const every = hooks.checkpointEveryBatches;
        if (hooks.checkpoint && every && batchInEpoch % every === 0 && batchInEpoch < batchesPerEpoch) await hooks.checkpoint(snapshot());
      }
      // End of epoch: validate, select, report.
      const evalParams = evaluated();
      const valLoss = validationLoss(evalParams, spec, valTable);
      const valEom = validationEom(evalParams, spec, data.val, data.scale, data.zeroCostArms, data.propensities, dfcl.trainBudget).eom;
      const record: TrainingEpoch = { epoch: current, lowerLoss: acc.lowerLossSum / Math.max(acc.lowerSteps, 1), valLoss, valEom };
      if (acc.hypergradients > 0) record.upperLoss = acc.upperLossSum / acc.hypergradients;
      history.push(record);
      const score = selectBy === 'valEom' ? valEom : -valLoss;
      if (competesForSelection(current, warmEpochs, training.epochs)) {
        if (!best || score > best.score) {
          best = { epoch: current, score, theta: paramsToArrays(evalParams, names), phi: paramsToArrays(phi.vars, bridgeNames) };
          badEpochs = 0;
        } else badEpochs += 1;
      }
      const report: BidfclEpochReport = {
        ...record,
        epochs: training.epochs,
        phase: warm ? 'warm-start' : 'bi-level',
        hypergradients: acc.hypergradients,
        cgIterations: acc.cgIterations,
        negativeCurvatureStops: acc.negativeCurvatureStops,
      };
      epoch = current;
      batchInEpoch = 0;
      acc = emptyEpochAcc();
      if (hooks.checkpoint) await hooks.checkpoint(snapshot());
      if (hooks.onEpoch) await hooks.onEpoch(report);
    }
    if (!best) throw new Error(`${method}: no epoch was trained (epochs ${training.epochs}, resumed at ${resume?.epoch ?? 0})`);
    const result: BidfclResult = {
      params: arraysToParams(best.theta, names),
      spec,
      history,
      selectedEpoch: best.epoch,
      teacher: teacherParams,
      bridge: arraysToParams(best.phi, bridgeNames),
      bridgeSpec,
      lastEpoch: epoch,
      teacherSelectedEpoch,
      warmStartEpochs: warmEpochs,
      selectBy,
      hypergradients: totals.hypergradients,
      cgIterations: totals.cgIterations,
      negativeCurvatureStops: totals.negativeCurvatureStops,
    };
    if (best.epoch !== epoch) result.lastParams = evaluated().map((v) => tf.clone(v));
    return result;
  } catch (e) {
    tf.dispose(teacherParams);
    throw e;
  } finally {
    thetaAdam.dispose();
    phiAdam.dispose();
    theta.dispose();
    phi.dispose();
    average?.dispose();
    valTable.dispose();
    ctx.dispose();
  }
}

export type { BidfclContext };
