import { METHOD_INFO, keys, type TrainingSummary } from '@bidfcl/contracts';
import { loadManifest, saveWeights } from '@bidfcl/io';
import { BIDFCL_METHODS, disposeParams, initBackend, paramsToArrays } from '@bidfcl/learn';
import { readRunConfig, type JobHandler } from '@bidfcl/runtime';
import { fitMethod } from './fit.js';
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
  if (info.needsObs && manifest.splits.obs.rows === 0)
    return skip(`${method} needs observational (obs) data and dataset '${manifest.dataset.name}' has none`);

  await initBackend(env.tfBackend);
  const data = await loadTrainingData(store, manifest, info.needsObs);
  const fitted = await fitMethod(method, data, config, ctx);

  const modelKey = keys.model(runId, method, 'target');
  const meta = { method, spec: fitted.spec, scale: manifest.targetScale };
  await saveWeights(store, modelKey, paramsToArrays(fitted.params), { ...meta, selectedEpoch: fitted.selectedEpoch });
  if (fitted.lastParams)
    await saveWeights(store, keys.lastEpochModel(runId, method), paramsToArrays(fitted.lastParams), {
      ...meta,
      epoch: fitted.history.length,
    });
  const summary: TrainingSummary = {
    method,
    trainSeconds: fitted.seconds,
    history: fitted.history,
    selectedEpoch: fitted.selectedEpoch,
    ...(fitted.selectedBy ? { selectedBy: fitted.selectedBy } : {}),
    spec: { ...fitted.spec },
    hasLastEpochModel: !!fitted.lastParams,
    extra: fitted.extra,
  };
  await store.putJson(summaryKey, summary);
  // Last: a retry before this point may resume from a checkpoint and ask again for steps whose ∇φ is in here.
  if ((BIDFCL_METHODS as readonly string[]).includes(method))
    await store.deletePrefix(keys.hypergradSteps(runId, method));
  for (const tensors of [fitted.params, fitted.lastParams, fitted.dispose]) disposeParams(tensors);
  return { method, modelKey, trainSeconds: fitted.seconds, summaryKey };
};
