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

/**
 * A saved model with its parameters on the backend, built once: what a long-lived caller (the decisions
 * service, one per served version) keeps so that each prediction only runs the forward pass. `predict` is
 * synchronous, so a caller that takes a model and predicts without awaiting in between can never see it disposed.
 */
export interface ScoringModel {
  predict(table: FeatureTable): ScoreMatrix;
  dispose(): void;
}

/** Builds the parameter tensors of `saved` once; call dispose() when no prediction will use them again. */
export async function loadScoringModel(
  saved: SavedModel,
  encoding: ScoringEncoding,
  backend: BackendPreference,
): Promise<ScoringModel> {
  await initBackend(backend);
  const params = arraysToParams(saved.weights);
  const spec = saved.metadata.spec as MlpSpec;
  const zeroCost = encoding.arms.map((a) => a.zeroCost);
  let disposed = false;
  return {
    predict(table) {
      if (disposed) throw new Error('predict: this scoring model was disposed');
      return predictScores(params, spec, table, encoding.targetScale, zeroCost);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      disposeParams(params);
    },
  };
}

/** Predictions of a saved model on a table encoded as the model expects (zero-cost arms get ĉ = 0). */
export async function predictSavedModel(
  saved: SavedModel,
  encoding: ScoringEncoding,
  table: FeatureTable,
  backend: BackendPreference,
): Promise<ScoreMatrix> {
  const model = await loadScoringModel(saved, encoding, backend);
  try {
    return model.predict(table);
  } finally {
    model.dispose();
  }
}
