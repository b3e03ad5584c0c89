import type * as tf from '@tensorflow/tfjs';
import type { TrainingEpoch } from '@bidfcl/contracts';
import type { Adam } from '../adam.js';
import type { HypergradAnswer } from '../bilevel/hypergradient.js';
import type { DeviceTable } from '../device-table.js';
import { paramsToArrays, type NamedArray, type ParamSet } from '../params.js';
import type { BidfclContext, BidfclData } from './context.js';
import type { ParamAverage } from './ema.js';
import type { BidfclMethod, BidfclSettings, methodParts } from './settings.js';
import type { BidfclState, EpochAccumulator, HypergradTotals } from './state.js';
import type { BidfclHooks, RequestHypergradient } from './train-types.js';

/** A hypergradient sent and not yet applied: its step, when it was sent, and its answer. */
export interface PendingHypergradient {
  step: number;
  sentAt: number;
  answer: Promise<HypergradAnswer>;
}

/** Position and bookkeeping of a run: what a checkpoint saves besides parameters and optimisers. */
export interface RunProgress {
  /** Epochs completed. */
  epoch: number;
  /** Batches completed in the epoch in progress. */
  batchInEpoch: number;
  /** Lower steps of the bi-level phase: the every-k schedule and the average's t. */
  biBatches: number;
  best: BidfclState['best'];
  /** Epochs since the best one (early stopping). */
  badEpochs: number;
  readonly history: TrainingEpoch[];
  readonly totals: HypergradTotals;
  epochAcc: EpochAccumulator;
}

/**
 * One Bi-DFCL run in progress, the state every step of Algorithm 1 reads and writes: what is fixed for the run
 * (settings, data, context, schedule), the live parameters and optimisers, and its progress (named as in
 * BidfclState). `startRun` builds it, fresh or from a checkpoint; `disposeRun` frees it.
 */
export interface BidfclRun extends RunProgress {
  readonly method: BidfclMethod;
  readonly settings: BidfclSettings;
  readonly hooks: BidfclHooks;
  /** Upper-level loss and hypergradient variant; undefined for fixgate (fixed gates, no upper level). */
  readonly parts: ReturnType<typeof methodParts>;
  readonly data: BidfclData;
  readonly ctx: BidfclContext;
  readonly valTable: DeviceTable;
  /** Parameter names of the Target (and Teacher) and of the Bridge, as checkpoints store them. */
  readonly names: string[];
  readonly bridgeNames: string[];
  /** The frozen Teacher ψ: on the backend (returned to the caller) and as arrays (checkpointed). */
  readonly teacher: { params: tf.Tensor[]; arrays: NamedArray[]; selectedEpoch: number };
  /** Target θ and Bridge φ, each with its own Adam. */
  readonly theta: ParamSet;
  readonly phi: ParamSet;
  readonly thetaAdam: Adam;
  readonly phiAdam: Adam;
  /** bidfcl.averaging 'ema': the average of θ over the bi-level phase's lower steps (t = biBatches); else null. */
  readonly average: ParamAverage | null;
  readonly request: RequestHypergradient;
  /**
   * Hypergradients sent and not yet applied, oldest first (at most bidfcl.hypergradInFlight after a step; none at
   * a checkpoint, see `drainHypergradients`).
   */
  readonly inFlight: PendingHypergradient[];
  readonly selectBy: 'valEom' | 'valLoss';
  /** Epochs of warm start: round(warmStartFraction × epochs). */
  readonly warmEpochs: number;
  readonly batchSize: number;
  /** Full batches per epoch: the remainder of the shuffled rows is skipped. */
  readonly batchesPerEpoch: number;
}

/** Frees what the run holds on the backend, except the Teacher's parameters (the result hands them out). */
export function disposeRun(run: BidfclRun): void {
  run.thetaAdam.dispose();
  run.phiAdam.dispose();
  run.theta.dispose();
  run.phi.dispose();
  run.average?.dispose();
  run.valTable.dispose();
  run.ctx.dispose();
}

/** Whether the epoch in progress is one of warm start (Alg. 1 line 2) rather than of the bi-level phase. */
export function inWarmStart(run: BidfclRun): boolean {
  return run.epoch + 1 <= run.warmEpochs;
}

/** The parameters epochs are validated, selected and returned by: the average once it has an iterate, else θ. */
export function evaluated(run: BidfclRun): tf.Tensor[] {
  return run.average && run.biBatches > 0 ? run.average.vars : run.theta.vars;
}

/** The state to persist: with it `startRun` continues the run exactly where it stands. */
export function checkpointState(run: BidfclRun): BidfclState {
  if (run.inFlight.length) throw new Error(`a checkpoint with ${run.inFlight.length} hypergradient(s) in flight`);
  return {
    method: run.method,
    epoch: run.epoch,
    batchInEpoch: run.batchInEpoch,
    biBatches: run.biBatches,
    teacher: run.teacher.arrays,
    teacherSelectedEpoch: run.teacher.selectedEpoch,
    theta: paramsToArrays(run.theta.vars, run.names),
    phi: paramsToArrays(run.phi.vars, run.bridgeNames),
    thetaAdam: run.thetaAdam.getState(),
    phiAdam: run.phiAdam.getState(),
    ...(run.average && run.biBatches > 0 ? { ema: run.average.toArrays(run.names) } : {}),
    best: run.best,
    badEpochs: run.badEpochs,
    history: [...run.history],
    totals: { ...run.totals },
    epochAcc: { ...run.epochAcc },
  };
}
