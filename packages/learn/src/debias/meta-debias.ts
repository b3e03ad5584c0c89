import * as tf from '@tensorflow/tfjs';
import { createRng, deriveSeed } from '@bidfcl/core';
import type { Adam } from '../adam.js';
import { disposeBatch } from '../bidfcl/lower-level.js';
import { explicitHypergradient } from '../bilevel/hypergradient.js';
import { flatFromTensors, flatGradient, flatGradient2, tensorsFromFlat } from '../bilevel/tensor-closures.js';
import type { Batch, DeviceTable } from '../device-table.js';
import { mlpForward, paramShapes, type MlpSpec } from '../mlp.js';
import { rctArmWeights, rctMseLoss } from '../mse-losses.js';
import { trainStep, type AuxiliaryTrainer } from '../train-loop.js';
import { AuxParams } from './aux-params.js';

/**
 * How the debiasing parameters φ enter the OBS training loss L_obs(θ, φ) (ltd-dr: learned propensities and
 * imputations inside the DR loss; autodebias: per-row weights and imputed labels; docs/method.md §3.9–§3.10).
 */
export interface DebiasParameterisation {
  /** Initial φ (the trainer owns and disposes them). */
  init(): tf.Tensor[];
  /** L_obs on an OBS batch given the model's [B, 2M] output and φ. */
  loss(pred: tf.Tensor2D, phi: tf.Tensor[], batch: Batch): tf.Scalar;
}

export interface MetaStepInput {
  spec: MlpSpec;
  param: DebiasParameterisation;
  /** θ and φ as flat vectors. */
  theta: Float32Array;
  phi: Float32Array;
  phiShapes: number[][];
  obs: Batch;
  rct: Batch;
  /** rctArmWeights of the RCT training rows (the meta loss is docs/method.md §3.1's unbiased RCT MSE). */
  rctArmWeights: number[];
  /** η of the look-ahead θ' = θ − η ∇_θ L_obs(θ, φ). */
  lookaheadRate: number;
  eps0: number;
}

/**
 * The one-step look-ahead meta-gradient (docs/method.md §3.10): with θ'(φ) = θ − η ∇_θ L_obs(θ, φ),
 *   ∇_φ L_rct(θ'(φ)) = −η · ∇²_φθ L_obs(θ, φ) · ∇_θ L_rct(θ'),
 * the mixed product by central differences of ∇_φ L_obs along θ (Bi-DFCL's explicit hypergradient, taken at θ
 * with ∇L_rct taken at θ'). Returns ∇_φ and L_rct(θ').
 */
export function metaGradient(inp: MetaStepInput): { gradPhi: Float32Array; metaLoss: number } {
  const { spec, param, obs, rct } = inp;
  const thetaShapes = paramShapes(spec);
  const obsLoss = (theta: tf.Tensor[], phi: tf.Tensor[]) =>
    param.loss(mlpForward(theta, obs.x, spec, obs.xT), phi, obs);
  const rctLoss = (theta: tf.Tensor[]) => rctMseLoss(mlpForward(theta, rct.x, spec, rct.xT), rct, inp.rctArmWeights);
  const gradTheta = flatGradient2(obsLoss, thetaShapes, inp.phiShapes, 'a')(inp.theta, inp.phi);
  const lookahead = new Float32Array(inp.theta.length);
  for (let k = 0; k < lookahead.length; k++)
    lookahead[k] = (inp.theta[k] as number) - inp.lookaheadRate * (gradTheta[k] as number);
  const gradUp = flatGradient(rctLoss, thetaShapes)(lookahead);
  const metaLoss = tf.tidy(() => rctLoss(tensorsFromFlat(lookahead, thetaShapes)).dataSync()[0] as number);
  const gradPhiObs = flatGradient2(obsLoss, thetaShapes, inp.phiShapes, 'b');
  const { gradPhi } = explicitHypergradient({
    gradPhiLow: (phi, theta) => gradPhiObs(theta, phi),
    gradThetaUp: gradUp,
    theta: inp.theta,
    phi: inp.phi,
    eps0: inp.eps0,
    alpha: inp.lookaheadRate,
  });
  return { gradPhi, metaLoss };
}

export interface MetaDebiasOptions {
  metaLearningRate: number;
  lookaheadRate: number;
  metaBatchSize: number;
  metaEvery: number;
  eps0: number;
  seed: number;
}

/**
 * LTD-DR / AutoDebias as an auxiliary trainer: every `metaEvery` steps, a meta step on φ (Adam on the
 * look-ahead meta-gradient, RCT rows drawn from (seed, epoch, step)); then θ's Adam step on L_obs(θ, φ).
 */
export function metaDebiasTrainer(
  spec: MlpSpec,
  obsTable: DeviceTable,
  rctTable: DeviceTable,
  param: DebiasParameterisation,
  opts: MetaDebiasOptions,
): AuxiliaryTrainer & { phi: AuxParams; dispose(): void } {
  const phi = new AuxParams(param.init(), opts.metaLearningRate, 'phi');
  const phiShapes = phi.vars.map((v) => [...v.shape]);
  const armWeights = rctArmWeights(rctTable.arm, rctTable.m);
  const metaRows = Math.min(opts.metaBatchSize, rctTable.n);
  const loss = (pred: tf.Tensor2D, batch: Batch) => param.loss(pred, phi.vars, batch);
  return {
    phi,
    step(vars: tf.Variable[], adam: Adam, rows: Int32Array, at: { epoch: number; step: number }): number {
      if (at.step % opts.metaEvery === 0) {
        const rng = createRng(deriveSeed(opts.seed, 'meta', at.epoch, at.step));
        const rctRows = Int32Array.from({ length: metaRows }, () => rng.int(rctTable.n));
        const obs = obsTable.batch(rows);
        const rct = rctTable.batch(rctRows);
        try {
          const { gradPhi } = metaGradient({
            spec,
            param,
            theta: flatFromTensors(vars),
            phi: flatFromTensors(phi.vars),
            phiShapes,
            obs,
            rct,
            rctArmWeights: armWeights,
            lookaheadRate: opts.lookaheadRate,
            eps0: opts.eps0,
          });
          tf.tidy(() => phi.adam.step(tensorsFromFlat(gradPhi, phiShapes)));
        } finally {
          disposeBatch(obs);
          disposeBatch(rct);
        }
      }
      return trainStep(vars, adam, spec, obsTable, rows, loss);
    },
    getState: () => phi.getState(),
    setState: (s) => phi.setState(s),
    dispose: () => phi.dispose(),
  };
}
