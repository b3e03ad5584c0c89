import type * as tf from '@tensorflow/tfjs';
import type { HypergradAnswer } from '../bilevel/hypergradient.js';
import type { MlpSpec } from '../mlp.js';
import type { NamedArray } from '../params.js';
import type { EpochReport, TrainResult } from '../train-loop.js';
import type { HypergradSeeds } from './batches.js';
import type { BidfclState } from './state.js';

/**
 * Sends a request for ∇φ L_up at the given (θ, φ), the batches fixed by `seeds` (see `selectHypergradBatches`).
 * Resolves once the request has left (a remote one: θ and φ stored and the job enqueued), with a function that
 * waits for the answer. Two phases, because a trainer that keeps hypergradients in flight
 * (bidfcl.hypergradInFlight) computes lower steps synchronously meanwhile: what is not sent before it goes back
 * to work would not be sent until it next waits.
 */
export type RequestHypergradient = (
  step: number,
  theta: Float32Array,
  phi: Float32Array,
  seeds: HypergradSeeds,
) => Promise<() => Promise<HypergradAnswer>>;

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
  /** Also where hypergradients in flight are applied (bidfcl.hypergradInFlight): a resumed run must use the same. */
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
