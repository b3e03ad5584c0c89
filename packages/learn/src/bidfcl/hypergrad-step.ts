import * as tf from '@tensorflow/tfjs';
import { Adam } from '../adam.js';
import { explicitHypergradient, implicitHypergradient, type HypergradAnswer } from '../bilevel/hypergradient.js';
import { flatFromTensors, flatOf, tensorsFromFlat } from '../bilevel/tensor-closures.js';
import { mlpForward, paramShapes } from '../mlp.js';
import { ParamSet } from '../params.js';
import { selectHypergradBatches, type HypergradBatches, type HypergradSeeds } from './batches.js';
import { lowerBatch, type BidfclContext } from './context.js';
import { gateValues, lowerLossFromPred } from './lower-level.js';
import { lowerLevelProducts } from './lower-products.js';
import type { BidfclSettings } from './settings.js';
import { upperLoss } from './upper-level.js';

/** Target θ and Bridge φ as flat vectors (the Teacher lives in the context). */
export interface HypergradState {
  theta: Float32Array;
  phi: Float32Array;
}

/**
 * Look-ahead θ*: k Adam steps on L_low(φ, ·) from a copy of θ, one lower batch per step (cycling when fewer
 * batches than k are given). Decision: a fresh Adam (zero moments) with the Target's learning rate — a
 * hypergradient worker receives θ and φ only, and a fresh optimizer keeps the step a pure function of them.
 */
function lookAhead(ctx: BidfclContext, state: HypergradState, obs: Int32Array[], k: number, lr: number): Float32Array {
  const shapes = paramShapes(ctx.spec);
  const init = tensorsFromFlat(state.theta, shapes);
  const vars = new ParamSet(init);
  tf.dispose(init);
  const phi = tensorsFromFlat(state.phi, paramShapes(ctx.bridgeSpec));
  const adam = new Adam(vars.vars, { learningRate: lr });
  try {
    for (let s = 0; s < k; s++) {
      tf.tidy(() => {
        const { batch, teacher } = lowerBatch(ctx, obs[s % obs.length] as Int32Array);
        const gates = gateValues(phi, batch.x, ctx.bridgeSpec);
        const { grads } = tf.variableGrads(
          () => lowerLossFromPred(mlpForward(vars.vars, batch.x, ctx.spec, batch.xT), gates, teacher, batch),
          vars.vars,
        );
        adam.step(vars.vars.map((v) => grads[v.name] as tf.Tensor));
      });
    }
    return flatFromTensors(vars.vars);
  } finally {
    adam.dispose();
    vars.dispose();
    tf.dispose(phi);
  }
}

/** ∇_θ L_up at θ* on an RCT batch, with the loss value. */
function upperGradient(
  ctx: BidfclContext,
  thetaStar: Float32Array,
  rows: Int32Array,
  kind: 'ppl' | 'pifd',
): { grad: Float32Array; loss: number } {
  const flat = flatOf(() => {
    const batch = ctx.rct.batch(rows);
    const up = (...ps: tf.Tensor[]): tf.Scalar => upperLoss(ps, batch, kind, ctx.decision, ctx.spec).loss;
    const { value, grads } = tf.valueAndGrads(up)(tensorsFromFlat(thetaStar, paramShapes(ctx.spec)));
    return [value, ...grads];
  });
  return { loss: flat[0] as number, grad: flat.slice(1) };
}

/**
 * One Bi-DFCL hypergradient (docs/method.md §3.5, paper Alg. 1 inner part), pure in (context, θ, φ, batches,
 * settings):
 * θ* by k look-ahead steps on L_low from a copy of θ; ∇_θ L_up (PPL or PIFD at the RCT batch's λ*) at θ*;
 * then either the implicit hypergradient — CG on (H_θθ + δI)v = ∇_θ L_up with finite-difference products on the
 * last look-ahead batch (optionally its first `hvpRows` rows), ∇_φ = −∇²_φθ U · v — or the explicit one,
 * ∇_φ ≈ −α ∇²_φθ U · ∇_θ L_up with α the Target's learning rate. U is the lower level's potential (see
 * `potentialGatePart`): its θ-gradient is L_low's, its mixed derivative is the one the IFT needs. Products are
 * central differences (bidfcl.hvp 'fd', default), exact R-operator products ('exact'), or the Gauss–Newton
 * product for CG with the exact mixed product ('gauss-newton').
 */
export function hypergradStep(
  ctx: BidfclContext,
  state: HypergradState,
  batches: HypergradBatches,
  settings: BidfclSettings,
  kind: 'ppl' | 'pifd',
  variant: 'implicit' | 'explicit',
): HypergradAnswer {
  const { bidfcl, training } = settings;
  if (batches.obs.length === 0) throw new Error('hypergradStep: no lower-level batch given');
  const thetaStar = lookAhead(ctx, state, batches.obs, bidfcl.k, training.learningRate);
  const up = upperGradient(ctx, thetaStar, batches.rct, kind);
  let hvpRows = batches.obs[batches.obs.length - 1] as Int32Array;
  if (bidfcl.hvpRows > 0 && bidfcl.hvpRows < hvpRows.length) hvpRows = hvpRows.subarray(0, bidfcl.hvpRows);
  const low = lowerLevelProducts(ctx, state.phi, hvpRows);
  try {
    const products =
      bidfcl.hvp === 'exact'
        ? { hvp: low.hvp, mixed: low.mixed }
        : bidfcl.hvp === 'gauss-newton'
          ? { hvp: low.gnvp, mixed: low.mixed }
          : { gradThetaLow: low.gradThetaLow, gradPhiLow: low.gradPhiLow };
    let res: Omit<HypergradAnswer, 'upperLoss'>;
    if (variant === 'implicit') {
      res = implicitHypergradient({
        ...products,
        gradThetaUp: up.grad,
        theta: thetaStar,
        phi: state.phi,
        nCg: bidfcl.nCg,
        damping: bidfcl.damping,
        cgTol: bidfcl.cgTol,
        eps0: bidfcl.eps0,
      });
    } else {
      res = explicitHypergradient({
        ...products,
        gradThetaUp: up.grad,
        theta: thetaStar,
        phi: state.phi,
        alpha: training.learningRate,
        eps0: bidfcl.eps0,
      });
    }
    return { ...res, upperLoss: up.loss };
  } finally {
    low.dispose();
  }
}

/** Convenience for workers: selects the batches from the seeds (see `selectHypergradBatches`), then `hypergradStep`. */
export function hypergradStepFromSeeds(
  ctx: BidfclContext,
  state: HypergradState,
  seeds: HypergradSeeds,
  settings: BidfclSettings,
  kind: 'ppl' | 'pifd',
  variant: 'implicit' | 'explicit',
): HypergradAnswer {
  const batches = selectHypergradBatches({ lowerRows: ctx.lower.n, rctRows: ctx.rct.n }, seeds, {
    k: settings.bidfcl.k,
    batchSize: settings.training.batchSize,
    rctBatchSize: settings.bidfcl.rctBatchSize,
  });
  return hypergradStep(ctx, state, batches, settings, kind, variant);
}
