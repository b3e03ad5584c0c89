import * as tf from '@tensorflow/tfjs';
import type { BidfclData } from './context.js';
import { endEpoch, finishRun, keepsTraining } from './epoch-end.js';
import { disposeRun } from './run.js';
import type { BidfclMethod, BidfclSettings } from './settings.js';
import { startRun } from './setup.js';
import { due, epochBatches, lowerStep, upperStep } from './steps.js';
import type { BidfclHooks, BidfclResult } from './train-types.js';

/**
 * Bi-DFCL training: the paper's Algorithm 1 as docs/method.md §3.5 states it, in lines numbered here for the
 * steps' JSDoc to cite ("Alg. 1 line n"), with the function that does each:
 *
 *   1  pretrain the Teacher ψ on RCT (RCT+OBS with teacherData 'rct+obs') and freeze it            startRun
 *   2  warm-start the Target θ with the factual MSE for round(warmStartFraction × epochs) epochs   lowerStep
 *   3  for each lower-level (OBS) batch:                                                           epochBatches
 *   4    every k batches: copy θ, k steps on L_low to θ*, ∇θ L_up on an RCT batch at θ*,           due, upperStep
 *          CG, step φ with Adam
 *   5    step θ on L_low with the current φ                                                        lowerStep
 *   6  after each epoch: validate, select the checkpoint by validation EOM (or `selectBy`)         endEpoch
 *
 * bidfcl-fixgate keeps every gate at `fixGate` and never asks for a hypergradient. Training stops after
 * `patience` epochs without improvement, not before the bi-level phase has begun (`keepsTraining`). With
 * bidfcl.averaging 'ema' a bias-corrected moving average of θ over the bi-level phase's lower steps (see
 * `emaWeight`) is what epochs are validated, selected and returned by (params, lastParams); θ itself trains on.
 * Deterministic in settings.seed; a run resumed from any checkpoint (`hooks.resume`) ends with the same
 * parameters. The caller disposes params, lastParams, teacher and bridge.
 */
export async function trainBidfcl(
  method: BidfclMethod,
  data: BidfclData,
  settings: BidfclSettings,
  hooks: BidfclHooks = {},
): Promise<BidfclResult> {
  const run = await startRun(method, data, settings, hooks);
  try {
    if (hooks.onTeacher) await hooks.onTeacher(run.teacher.arrays, run.teacher.selectedEpoch);
    while (keepsTraining(run)) {
      for await (const rows of epochBatches(run)) {
        if (due(run)) await upperStep(run);
        lowerStep(run, rows);
      }
      await endEpoch(run);
    }
    return finishRun(run);
  } catch (e) {
    tf.dispose(run.teacher.params);
    throw e;
  } finally {
    disposeRun(run);
  }
}
