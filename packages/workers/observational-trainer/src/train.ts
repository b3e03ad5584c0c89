import { METHOD_INFO, keys, type TrainingSummary } from '@bidfcl/contracts';
import { loadCheckpoint, loadManifest, saveCheckpoint, saveWeights } from '@bidfcl/io';
import { initBackend, paramsToArrays, trainModel, disposeParams, type TrainerState } from '@bidfcl/learn';
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
  // A checkpoint under this run and method can only come from an earlier attempt of this very job (a killed
  // or stalled trainer): resume from it. Wall time spent before the interruption is carried over.
  const stateKey = keys.trainingState(runId, method);
  const saved = await loadCheckpoint<{ state: TrainerState; seconds: number }>(store, stateKey);
  const started = performance.now();
  const elapsed = () => (saved?.seconds ?? 0) + (performance.now() - started) / 1000;
  const result = await trainModel(method as Parameters<typeof trainModel>[0], data, { training: config.training, dfcl: config.dfcl, seed: config.seed }, {
    onEpoch: (e) => ctx.progress({ method, pid: process.pid, ...e }),
    checkpoint: (state) => saveCheckpoint(store, stateKey, { state, seconds: elapsed() }),
    ...(saved ? { resume: saved.state } : {}),
  });
  const trainSeconds = elapsed();

  const modelKey = keys.model(runId, method, 'target');
  const meta = { method, spec: result.spec, scale: manifest.targetScale };
  await saveWeights(store, modelKey, paramsToArrays(result.params), { ...meta, selectedEpoch: result.selectedEpoch });
  if (result.lastParams) await saveWeights(store, keys.lastEpochModel(runId, method), paramsToArrays(result.lastParams), { ...meta, epoch: result.history.length });
  const summary: TrainingSummary = {
    method,
    trainSeconds,
    history: result.history,
    selectedEpoch: result.selectedEpoch,
    spec: { ...result.spec },
    hasLastEpochModel: !!result.lastParams,
    extra: { ...(saved ? { resumedAfterEpoch: saved.state.epoch } : {}), ...(result.divergedAt ? { divergedAt: result.divergedAt } : {}) },
  };
  await store.putJson(summaryKey, summary);
  disposeParams(result.params);
  disposeParams(result.lastParams);
  return { method, modelKey, trainSeconds, summaryKey };
};
