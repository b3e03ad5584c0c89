import type * as tf from '@tensorflow/tfjs';
import { keys, type MethodId, type RunConfig } from '@bidfcl/contracts';
import { loadCheckpoint, saveCheckpoint, saveWeights } from '@bidfcl/io';
import {
  BIDFCL_METHODS,
  paramsToArrays,
  trainBidfcl,
  trainModel,
  type BidfclMethod,
  type BidfclState,
  type TrainerState,
  type TrainResult,
} from '@bidfcl/learn';
import type { JobContext } from '@bidfcl/runtime';
import type { TrainingData } from './load.js';
import { remoteHypergradient } from './remote-hypergradient.js';

/** What every trainer hands back to the handler, whatever the method. */
export interface Fitted extends Pick<
  TrainResult,
  'params' | 'lastParams' | 'spec' | 'history' | 'selectedEpoch' | 'selectedBy'
> {
  /** Wall seconds including time spent before a resumed interruption. */
  seconds: number;
  extra: Record<string, unknown>;
  /** Other tensors to release once saved. */
  dispose: tf.Tensor[];
}

const isBidfcl = (m: MethodId): m is BidfclMethod => (BIDFCL_METHODS as readonly string[]).includes(m);

/**
 * The hooks every trainer shares: progress, a checkpoint after every epoch under models/<method>/checkpoints/,
 * and resumption from a checkpoint left by an earlier attempt of the same job (a killed or stalled trainer).
 * Wall time spent before the interruption is carried over.
 */
async function resumable<S extends { epoch: number }>(method: MethodId, config: RunConfig, ctx: JobContext) {
  const { store } = ctx.runtime;
  const stateKey = keys.trainingState(config.runId, method);
  const saved = await loadCheckpoint<{ state: S; seconds: number }>(store, stateKey);
  const started = performance.now();
  const seconds = () => (saved?.seconds ?? 0) + (performance.now() - started) / 1000;
  return {
    seconds,
    hooks: {
      onEpoch: (e: object) => ctx.progress({ method, pid: process.pid, ...e }),
      checkpoint: (state: S) => saveCheckpoint(store, stateKey, { state, seconds: seconds() }),
      ...(saved ? { resume: saved.state } : {}),
    },
    resumedAfter: saved ? { resumedAfterEpoch: saved.state.epoch } : {},
  };
}

function fitted(result: TrainResult, seconds: number, extra: object, dispose: tf.Tensor[] = []): Fitted {
  const { params, lastParams, spec, history, selectedEpoch, selectedBy, divergedAt } = result;
  const diverged = divergedAt ? { divergedAt } : {};
  return {
    params,
    ...(lastParams ? { lastParams } : {}),
    spec,
    history,
    selectedEpoch,
    ...(selectedBy ? { selectedBy } : {}),
    seconds,
    dispose,
    extra: { ...extra, ...diverged },
  };
}

/** Trains `method`, resumably; Bi-DFCL methods get their hypergradients from the hypergradient queue. */
export async function fitMethod(
  method: MethodId,
  data: TrainingData,
  config: RunConfig,
  ctx: JobContext,
): Promise<Fitted> {
  const { store } = ctx.runtime;
  const runId = config.runId;
  if (isBidfcl(method)) {
    if (!data.obs) throw new Error(`${method} needs the obs split`);
    const r = await resumable<BidfclState>(method, config, ctx);
    const result = await trainBidfcl(
      method,
      { ...data, obs: data.obs },
      { training: config.training, dfcl: config.dfcl, bidfcl: config.bidfcl, seed: config.seed },
      {
        ...r.hooks,
        onTeacher: (teacher, selectedEpoch) =>
          saveWeights(store, keys.model(runId, method, 'teacher'), teacher, { method, role: 'teacher', selectedEpoch }),
        requestHypergradient: remoteHypergradient(ctx.runtime, runId, method),
      },
    );
    await saveWeights(store, keys.model(runId, method, 'bridge'), paramsToArrays(result.bridge), {
      method,
      role: 'bridge',
      spec: result.bridgeSpec,
    });
    const { teacherSelectedEpoch, warmStartEpochs, selectBy, hypergradients, cgIterations, negativeCurvatureStops } =
      result;
    return fitted(
      result,
      r.seconds(),
      {
        teacherSelectedEpoch,
        warmStartEpochs,
        selectBy,
        hypergradients,
        cgIterations,
        negativeCurvatureStops,
        ...r.resumedAfter,
      },
      [...result.teacher, ...result.bridge],
    );
  }
  const r = await resumable<TrainerState>(method, config, ctx);
  const result = await trainModel(
    method as Parameters<typeof trainModel>[0],
    data,
    { training: config.training, dfcl: config.dfcl, debias: config.debias, seed: config.seed },
    r.hooks,
  );
  return fitted(result, r.seconds(), r.resumedAfter);
}
