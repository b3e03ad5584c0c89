import type * as tf from '@tensorflow/tfjs';
import { keys, type MethodId, type RunConfig, type TrainingEpoch } from '@bidfcl/contracts';
import { loadCheckpoint, saveCheckpoint, saveWeights } from '@bidfcl/io';
import { BIDFCL_METHODS, paramsToArrays, trainBidfcl, trainModel, type BidfclMethod, type BidfclState, type MlpSpec, type TrainerState } from '@bidfcl/learn';
import type { JobContext } from '@bidfcl/runtime';
import type { TrainingData } from './load.js';
import { remoteHypergradient } from './remote-hypergradient.js';

/** What every trainer hands back to the handler, whatever the method. */
export interface Fitted {
  params: tf.Tensor[];
  lastParams?: tf.Tensor[];
  spec: MlpSpec;
  history: TrainingEpoch[];
  selectedEpoch: number;
  /** Wall seconds including time spent before a resumed interruption. */
  seconds: number;
  extra: Record<string, unknown>;
  /** Other tensors to release once saved. */
  dispose: tf.Tensor[];
}

const isBidfcl = (m: MethodId): m is BidfclMethod => (BIDFCL_METHODS as readonly string[]).includes(m);

/**
 * Trains `method`, checkpointing after every epoch under models/<method>/checkpoints/ and resuming from a
 * checkpoint left by an earlier attempt of the same job (a killed or stalled trainer). Bi-DFCL methods get
 * their hypergradients from the hypergradient queue.
 */
export async function fitMethod(method: MethodId, data: TrainingData, config: RunConfig, ctx: JobContext): Promise<Fitted> {
  const { store } = ctx.runtime;
  const runId = config.runId;
  const stateKey = keys.trainingState(runId, method);
  const started = performance.now();
  const seconds = (before: number) => before + (performance.now() - started) / 1000;

  if (isBidfcl(method)) {
    if (!data.obs) throw new Error(`${method} needs the obs split`);
    const saved = await loadCheckpoint<{ state: BidfclState; seconds: number }>(store, stateKey);
    const before = saved?.seconds ?? 0;
    const result = await trainBidfcl(method, { ...data, obs: data.obs }, { training: config.training, dfcl: config.dfcl, bidfcl: config.bidfcl, seed: config.seed }, {
      onEpoch: (e) => ctx.progress({ method, pid: process.pid, ...e }),
      checkpoint: (state) => saveCheckpoint(store, stateKey, { state, seconds: seconds(before) }),
      onTeacher: (teacher, selectedEpoch) => saveWeights(store, keys.model(runId, method, 'teacher'), teacher, { method, role: 'teacher', selectedEpoch }),
      requestHypergradient: remoteHypergradient(ctx.runtime, runId, method),
      ...(saved ? { resume: saved.state } : {}),
    });
    await saveWeights(store, keys.model(runId, method, 'bridge'), paramsToArrays(result.bridge), { method, role: 'bridge', spec: result.bridgeSpec });
    return {
      params: result.params,
      ...(result.lastParams ? { lastParams: result.lastParams } : {}),
      spec: result.spec,
      history: result.history,
      selectedEpoch: result.selectedEpoch,
      seconds: seconds(before),
      extra: {
        teacherSelectedEpoch: result.teacherSelectedEpoch,
        warmStartEpochs: result.warmStartEpochs,
        selectBy: result.selectBy,
        hypergradients: result.hypergradients,
        cgIterations: result.cgIterations,
        negativeCurvatureStops: result.negativeCurvatureStops,
        ...(saved ? { resumedAfterEpoch: saved.state.epoch } : {}),
        ...(result.divergedAt ? { divergedAt: result.divergedAt } : {}),
      },
      dispose: [...result.teacher, ...result.bridge],
    };
  }

  const saved = await loadCheckpoint<{ state: TrainerState; seconds: number }>(store, stateKey);
  const before = saved?.seconds ?? 0;
  const result = await trainModel(method as Parameters<typeof trainModel>[0], data, { training: config.training, dfcl: config.dfcl, seed: config.seed }, {
    onEpoch: (e) => ctx.progress({ method, pid: process.pid, ...e }),
    checkpoint: (state) => saveCheckpoint(store, stateKey, { state, seconds: seconds(before) }),
    ...(saved ? { resume: saved.state } : {}),
  });
  return {
    params: result.params,
    ...(result.lastParams ? { lastParams: result.lastParams } : {}),
    spec: result.spec,
    history: result.history,
    selectedEpoch: result.selectedEpoch,
    seconds: seconds(before),
    extra: { ...(saved ? { resumedAfterEpoch: saved.state.epoch } : {}), ...(result.divergedAt ? { divergedAt: result.divergedAt } : {}) },
    dispose: [],
  };
}
