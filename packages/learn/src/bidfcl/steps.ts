import * as tf from '@tensorflow/tfjs';
import { createRng, deriveSeed } from '@bidfcl/core';
import { flatFromTensors, tensorsFromFlat } from '../bilevel/tensor-closures.js';
import type { Batch } from '../device-table.js';
import { mlpForward } from '../mlp.js';
import { factualMseLoss } from '../mse-losses.js';
import type { HypergradSeeds } from './batches.js';
import { lowerBatch } from './context.js';
import { fixedGates, gateValues, lowerLossFromPred } from './lower-level.js';
import { checkpointState, inWarmStart, type BidfclRun } from './run.js';

/** Seeds of the `step`-th hypergradient of a run. */
export function hypergradSeeds(seed: number, step: number): HypergradSeeds {
  return {
    obsBatchSeed: deriveSeed(seed, 'hypergrad', 'obs', step),
    rctBatchSeed: deriveSeed(seed, 'hypergrad', 'rct', step),
  };
}

/** Row order of an epoch: a seeded shuffle of the lower-level rows, so that a resumed run sees the same batches. */
function epochOrder(n: number, seed: number, epoch: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  createRng(deriveSeed(seed, 'bidfcl', 'shuffle', epoch)).shuffle(order);
  return order;
}

/**
 * Alg. 1 line 3, "for each OBS batch": the rows of the epoch's remaining full batches, from where the run stands
 * (mid-epoch after a resume). Owns the position: after each batch it counts it and, every
 * `hooks.checkpointEveryBatches` batches short of the epoch's end, applies the hypergradients in flight and hands
 * a checkpoint to `hooks.checkpoint`.
 */
export async function* epochBatches(run: BidfclRun): AsyncGenerator<Int32Array> {
  const { batchSize, batchesPerEpoch, hooks } = run;
  const order = epochOrder(run.ctx.lower.n, run.settings.seed, run.epoch + 1);
  while (run.batchInEpoch < batchesPerEpoch) {
    yield order.subarray(run.batchInEpoch * batchSize, (run.batchInEpoch + 1) * batchSize);
    run.batchInEpoch += 1;
    const every = hooks.checkpointEveryBatches;
    const midEpoch = run.batchInEpoch < batchesPerEpoch;
    if (every && run.batchInEpoch % every === 0 && midEpoch) {
      // A synchronisation point whether or not this run saves there, so that a run resumed from such a checkpoint
      // (given the same checkpointEveryBatches) applies its hypergradients where the saving run did.
      await drainHypergradients(run);
      if (hooks.checkpoint) await hooks.checkpoint(checkpointState(run));
    }
  }
}

/** Alg. 1 line 4's condition: in the bi-level phase, every k-th lower batch, for a method with an upper level. */
export function due(run: BidfclRun): boolean {
  return !inWarmStart(run) && run.parts !== undefined && run.biBatches % run.settings.bidfcl.k === 0;
}

/**
 * Alg. 1 line 4: sends the request for ∇φ L_up at the current (θ, φ) — copy θ, k steps on L_low to θ*, ∇θ L_up on
 * an RCT batch at θ*, CG — to `run.request` (in process or a hypergradient worker), then applies (one Adam step on
 * φ each) the oldest answers beyond bidfcl.hypergradInFlight = n. n = 0 is the paper's synchronous loop. With
 * n > 0 the trainer goes on with its lower steps while up to n requests are computed elsewhere, and step s's ∇φ
 * is applied at the (s + n)-th due point, not when it happens to arrive: the staleness is exactly n steps and
 * the run is as deterministic as the synchronous one (docs/method.md §3.5, "Asynchronous hypergradients").
 */
export async function upperStep(run: BidfclRun): Promise<void> {
  const { theta, phi } = run;
  const step = run.totals.hypergradients + run.inFlight.length;
  const sentAt = performance.now();
  const seeds = hypergradSeeds(run.settings.seed, step);
  const awaitAnswer = await run.request(step, flatFromTensors(theta.vars), flatFromTensors(phi.vars), seeds);
  const answer = awaitAnswer();
  answer.catch(() => undefined); // rethrown where it is applied; a run that fails first never applies it
  run.inFlight.push({ step, sentAt, answer });
  while (run.inFlight.length > run.settings.bidfcl.hypergradInFlight) await applyOldest(run);
}

/** Applies every hypergradient in flight, oldest first: before a checkpoint and at the end of each epoch. */
export async function drainHypergradients(run: BidfclRun): Promise<void> {
  while (run.inFlight.length) await applyOldest(run);
}

/** Waits for the oldest hypergradient in flight and takes its Adam step on φ. */
async function applyOldest(run: BidfclRun): Promise<void> {
  const { phi, totals, epochAcc, hooks } = run;
  const pending = run.inFlight[0] as (typeof run.inFlight)[number];
  const hg = await pending.answer;
  run.inFlight.shift();
  const ms = performance.now() - pending.sentAt;
  const g = tensorsFromFlat(
    hg.gradPhi,
    phi.vars.map((v) => v.shape),
  );
  run.phiAdam.step(g);
  tf.dispose(g);
  for (const t of [totals, epochAcc]) {
    t.hypergradients += 1;
    t.cgIterations += hg.cgIterations;
    t.negativeCurvatureStops += hg.negativeCurvatureStops;
    t.upperLossSum += hg.upperLoss;
  }
  if (hooks.onHypergradient) {
    const { cgIterations, negativeCurvatureStops, upperLoss } = hg;
    await hooks.onHypergradient({ step: pending.step, ms, cgIterations, negativeCurvatureStops, upperLoss });
  }
}

/**
 * The gates of a lower step: none in warm start (the loss is the factual MSE), w = sigmoid(G_φ(x)) for a method
 * with an upper level, every gate at bidfcl.fixGate for fixgate. Call inside tf.tidy.
 */
function gatesOf(run: BidfclRun, batch: Batch, rows: number): tf.Tensor2D | null {
  if (inWarmStart(run)) return null;
  const { spec, bridgeSpec } = run.ctx;
  if (run.parts) return gateValues(run.phi.vars, batch.x, bridgeSpec);
  return fixedGates(rows, spec.outputDim, run.settings.bidfcl.fixGate);
}

/**
 * Alg. 1 line 5, "every batch step θ on L_low with the current φ" (line 2 in warm start: the factual MSE). A
 * bi-level step also advances the every-k schedule and is folded into the parameter average.
 */
export function lowerStep(run: BidfclRun, rows: Int32Array): void {
  const { ctx, theta, epochAcc } = run;
  const value = tf.tidy(() => {
    const { batch, teacher } = lowerBatch(ctx, rows);
    const gates = gatesOf(run, batch, rows.length);
    const { value: v, grads } = tf.variableGrads(() => {
      const pred = mlpForward(theta.vars, batch.x, ctx.spec, batch.xT);
      return gates ? lowerLossFromPred(pred, gates, teacher, batch) : factualMseLoss(pred, batch);
    }, theta.vars);
    run.thetaAdam.step(theta.vars.map((x) => grads[x.name] as tf.Tensor));
    return v;
  });
  epochAcc.lowerLossSum += (value.dataSync() as Float32Array)[0] as number;
  epochAcc.lowerSteps += 1;
  value.dispose();
  if (!inWarmStart(run)) {
    run.biBatches += 1;
    run.average?.update(theta.vars, run.settings.bidfcl.emaDecay, run.biBatches);
  }
}
