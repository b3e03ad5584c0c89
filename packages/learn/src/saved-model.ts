import type { FeatureManifest, FeatureTable, ScoreMatrix } from '@bidfcl/contracts';
import { initBackend, type BackendPreference } from './backend.js';
import type { MlpSpec } from './mlp.js';
import { arraysToParams, disposeParams, type NamedArray } from './params.js';
import { predictScores } from './uplift-model.js';

/** What turns a network's outputs into scores: the target scale it learnt in, and which arms cost nothing. */
export type ScoringEncoding = Pick<FeatureManifest, 'targetScale' | 'arms'>;

/** A saved model as io's loadWeights returns it: its weights and the metadata that holds its spec. */
export interface SavedModel {
  weights: NamedArray[];
  metadata: Record<string, unknown>;
}

/** Predictions of a saved model on a table encoded as the model expects (zero-cost arms get ĉ = 0). */
export async function predictSavedModel(
  saved: SavedModel,
  encoding: ScoringEncoding,
  table: FeatureTable,
  backend: BackendPreference,
): Promise<ScoreMatrix> {
  await initBackend(backend);
  const params = arraysToParams(saved.weights);
  try {
    const zeroCost = encoding.arms.map((a) => a.zeroCost);
    return predictScores(params, saved.metadata.spec as MlpSpec, table, encoding.targetScale, zeroCost);
  } finally {
    disposeParams(params);
  }
}
