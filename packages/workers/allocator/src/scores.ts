import { keys, type FeatureManifest, type FeatureTable, type MethodId, type ScoreMatrix } from '@bidfcl/contracts';
import { truthOf } from '@bidfcl/core';
import { loadWeights, type ArtefactStore } from '@bidfcl/io';
import { predictSavedModel, type ScoringEncoding } from '@bidfcl/learn';

/** Predictions of the saved model under `modelPrefix` on a table encoded as the model expects. */
export async function predictWithModel(
  store: ArtefactStore,
  modelPrefix: string,
  encoding: ScoringEncoding,
  table: FeatureTable,
  backend: 'wasm' | 'cpu',
): Promise<ScoreMatrix> {
  return predictSavedModel(await loadWeights(store, modelPrefix), encoding, table, backend);
}

/** Scores of a method on a table: the simulator's truth for the oracle, the saved model's predictions otherwise. */
export async function scoreTable(
  store: ArtefactStore,
  runId: string,
  method: MethodId,
  manifest: FeatureManifest,
  table: FeatureTable,
  backend: 'wasm' | 'cpu',
  modelPrefix = keys.model(runId, method, 'target'),
): Promise<ScoreMatrix> {
  if (method === 'oracle') {
    const truth = truthOf(table);
    if (!truth) throw new Error('oracle needs the true r_ij, c_ij of simulated data');
    return truth;
  }
  return predictWithModel(store, modelPrefix, manifest, table, backend);
}
