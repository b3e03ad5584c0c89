import type { TrainingEpoch } from '@bidfcl/contracts';
import type { AdamState } from '../adam.js';
import type { NamedArray } from '../params.js';
import type { BidfclMethod } from './settings.js';

/** Running totals of the hypergradient calls. */
export interface HypergradTotals {
  hypergradients: number;
  cgIterations: number;
  negativeCurvatureStops: number;
  upperLossSum: number;
}

/** Accumulators of the epoch in progress (so that a mid-epoch resume reports the same epoch means). */
export interface EpochAccumulator extends HypergradTotals {
  lowerLossSum: number;
  lowerSteps: number;
}

/**
 * Everything needed to continue a Bi-DFCL run exactly where it stopped: parameters and both Adam optimisers as
 * plain Float32Arrays, positions and counters as JSON numbers. Batches and hypergradient seeds are pure
 * functions of (seed, epoch, position), so these counters are the whole random-number position.
 */
export interface BidfclState {
  method: BidfclMethod;
  /** Epochs completed. */
  epoch: number;
  /** Batches completed in the epoch in progress (0 at an epoch boundary). */
  batchInEpoch: number;
  /** Lower-level batches trained in the bi-level phase (drives the every-k hypergradient schedule). */
  biBatches: number;
  teacher: NamedArray[];
  teacherSelectedEpoch: number;
  theta: NamedArray[];
  phi: NamedArray[];
  thetaAdam: AdamState;
  phiAdam: AdamState;
  /**
   * bidfcl.averaging 'ema': the running average of θ after `biBatches` bi-level steps (absent before the first
   * bi-level step and without averaging). `best.theta` then holds the average too.
   */
  ema?: NamedArray[];
  best: { epoch: number; score: number; theta: NamedArray[]; phi: NamedArray[] } | null;
  badEpochs: number;
  history: TrainingEpoch[];
  totals: HypergradTotals;
  epochAcc: EpochAccumulator;
}

export function emptyTotals(): HypergradTotals {
  return { hypergradients: 0, cgIterations: 0, negativeCurvatureStops: 0, upperLossSum: 0 };
}

export function emptyEpochAcc(): EpochAccumulator {
  return { ...emptyTotals(), lowerLossSum: 0, lowerSteps: 0 };
}
