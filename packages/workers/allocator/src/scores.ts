import { keys, type FeatureManifest, type FeatureTable, type MethodId, type ScoreMatrix } from '@bidfcl/contracts';
import { truthOf } from '@bidfcl/core';
import { loadWeights, type ArtefactStore } from '@bidfcl/io';
import { arraysToParams, disposeParams, initBackend, predictScores, type MlpSpec } from '@bidfcl/learn';

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
  await initBackend(backend);
  const { weights, metadata } = await loadWeights(store, modelPrefix);
  const spec = metadata.spec as MlpSpec;
  const params = arraysToParams(weights);
  try {
    return predictScores(
      params,
      spec,
      table,
      manifest.targetScale,
      manifest.arms.map((a) => a.zeroCost),
    );
  } finally {
    disposeParams(params);
  }
}
