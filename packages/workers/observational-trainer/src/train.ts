import { METHOD_INFO, keys, type TrainingSummary } from '@bidfcl/contracts';
import { loadManifest, saveWeights } from '@bidfcl/io';
import { initBackend, paramsToArrays, trainModel, disposeParams } from '@bidfcl/learn';
import { readRunConfig, type JobHandler } from '@bidfcl/runtime';
import { loadTrainingData } from './load.js';

/** train.method.v1: trains one method on the run's feature sets and saves the deployed network. */
export const trainMethod: JobHandler<'train.method.v1'> = async ({ runId, method }, ctx) => {
  const { store, env } = ctx.runtime;
  const config = await readRunConfig(ctx.runtime, runId);
  const manifest = await loadManifest(store, runId);
  const summaryKey = keys.modelSummary(runId, method);
  const info = METHOD_INFO[method];
  const skip = async (reason: string) => {
    const summary: TrainingSummary = { method, skipped: reason, trainSeconds: 0, history: [] };
    await store.putJson(summaryKey, summary);
    return { method, trainSeconds: 0, summaryKey, skipped: reason };
  };
  if (!info.trained) return skip(`${method} is a reference, not a trained model`);
  if (info.needsObs && manifest.splits.obs.rows === 0) return skip(`${method} needs observational (obs) data and dataset '${manifest.dataset.name}' has none`);

  await initBackend(env.tfBackend);
  const data = await loadTrainingData(store, manifest, info.needsObs);
  const started = performance.now();
  const result = await trainModel(method as Parameters<typeof trainModel>[0], data, { training: config.training, dfcl: config.dfcl, seed: config.seed }, {
    onEpoch: (e) => ctx.progress({ method, ...e }),
  });
  const trainSeconds = (performance.now() - started) / 1000;

  const modelKey = keys.model(runId, method, 'target');
  await saveWeights(store, modelKey, paramsToArrays(result.params), { method, spec: result.spec, scale: manifest.targetScale, selectedEpoch: result.selectedEpoch });
  const summary: TrainingSummary = { method, trainSeconds, history: result.history, selectedEpoch: result.selectedEpoch, spec: { ...result.spec } };
  await store.putJson(summaryKey, summary);
  disposeParams(result.params);
  return { method, modelKey, trainSeconds, summaryKey };
};
