import { keys, type FeatureManifest, type FeatureTable, type MethodId, type ScoreMatrix } from '@bidfcl/contracts';
import { truthOf } from '@bidfcl/core';
import { loadWeights, type ArtefactStore } from '@bidfcl/io';
import { arraysToParams, disposeParams, initBackend, predictScores, type MlpSpec } from '@bidfcl/learn';

/** What turns a network's outputs into scores: the target scale it learnt in, and which arms cost nothing. */
export type ScoringEncoding = Pick<FeatureManifest, 'targetScale' | 'arms'>;

/** Predictions of the saved model under `modelPrefix` on a table encoded as the model expects. */
export async function predictWithModel(
  store: ArtefactStore,
  modelPrefix: string,
  encoding: ScoringEncoding,
  table: FeatureTable,
  backend: 'wasm' | 'cpu',
): Promise<ScoreMatrix> {
  await initBackend(backend);
  const { weights, metadata } = await loadWeights(store, modelPrefix);
  const spec = metadata.spec as MlpSpec;
  const params = arraysToParams(weights);
  try {
    return predictScores(
      params,
      spec,
      table,
      encoding.targetScale,
      encoding.arms.map((a) => a.zeroCost),
    );
  } finally {
    disposeParams(params);
  }
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
