import * as tf from '@tensorflow/tfjs';
import { Adam } from '../adam.js';
import { explicitHypergradient, implicitHypergradient, type HypergradAnswer } from '../bilevel/hypergradient.js';
import { mlpHvp, mlpJvp, type OutputLoss } from '../bilevel/mlp-hvp.js';
import { flatFromTensors, tensorsFromFlat } from '../bilevel/tensor-closures.js';
import type { Vec } from '../bilevel/vector-ops.js';
import { mlpForward, paramShapes } from '../mlp.js';
import { ParamSet } from '../params.js';
import { selectHypergradBatches, type HypergradBatches, type HypergradSeeds } from './batches.js';
import { lowerBatch, type BidfclContext } from './context.js';
import { counterfactualMask, disposeBatch, gateValues, lowerLossFromPred, potentialGatePart } from './lower-level.js';
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
        const { grads } = tf.variableGrads(() => lowerLossFromPred(mlpForward(vars.vars, batch.x, ctx.spec, batch.xT), gates, teacher, batch), vars.vars);
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
  const params = tensorsFromFlat(thetaStar, paramShapes(ctx.spec));
  try {
    const { value, grads } = tf.tidy(() => {
      const batch = ctx.rct.batch(rows);
      return tf.valueAndGrads((...ps: tf.Tensor[]) => upperLoss(ps, batch, kind, ctx.decision, ctx.spec).loss)(params);
    });
    const loss = (value.dataSync() as Float32Array)[0] as number;
    const grad = flatFromTensors(grads);
    tf.dispose([value, ...grads]);
    return { grad, loss };
  } finally {
    tf.dispose(params);
  }
}

/**
 * The lower level's first- and second-order closures on one fixed batch of `ctx.lower` rows at a fixed φ, over flat
 * vectors: gradThetaLow (θ ↦ ∇_θ L_low), gradPhiLow ((φ, θ) ↦ ∇_φ U), and the exact products hvp ((θ, v) ↦ H_θθ v)
 * and mixed ((φ, θ, v) ↦ ∇²_φθ U · v). `mixed` and `gradPhiLow` use U (see `potentialGatePart`). Call dispose()
 * when done: the batch tensors live until then.
 */
export function lowerLevelProducts(ctx: BidfclContext, phiFlat: Float32Array, rows: Int32Array) {
  const thetaShapes = paramShapes(ctx.spec);
  const phiShapes = paramShapes(ctx.bridgeSpec);
  // Tensors that live for the whole CG solve (built outside tf.tidy: the batch carries host arrays too).
  const { batch, teacher } = lowerBatch(ctx, rows);
  const phiT = tensorsFromFlat(phiFlat, phiShapes);
  const gates = gateValues(phiT, batch.x, ctx.bridgeSpec);
  tf.dispose(phiT);
  const mask = counterfactualMask(batch);
  const keepAll: tf.Tensor[] = [teacher, gates, mask];
  // θ ↦ ∇_θ L_low(φ, θ) at the fixed φ (gates are constants here).
  const gradThetaLow = (theta: Float32Array): Float32Array => {
    const ps = tensorsFromFlat(theta, thetaShapes);
    try {
      const grads = tf.tidy(() => tf.grads((...qs: tf.Tensor[]) => lowerLossFromPred(mlpForward(qs, batch.x, ctx.spec, batch.xT), gates, teacher, batch))(ps));
      const flat = flatFromTensors(grads);
      tf.dispose(grads);
      return flat;
    } finally {
      tf.dispose(ps);
    }
  };
  // (φ, θ) ↦ ∇_φ U(φ, θ): the Target's squared gaps to the Teacher are constants for the φ-gradient.
  const gradPhiLow = (phi: Float32Array, theta: Float32Array): Float32Array => {
    const th = tensorsFromFlat(theta, thetaShapes);
    const ph = tensorsFromFlat(phi, phiShapes);
    try {
      const grads = tf.tidy(() => {
        const gaps = tf.mul(mask, tf.square(tf.sub(teacher, mlpForward(th, batch.x, ctx.spec)))) as tf.Tensor2D;
        return tf.grads((...qs: tf.Tensor[]) => potentialGatePart(gateValues(qs, batch.x, ctx.bridgeSpec, batch.xT), gaps, rows.length))(ph);
      });
      const flat = flatFromTensors(grads);
      tf.dispose(grads);
      return flat;
    } finally {
      tf.dispose([...th, ...ph]);
    }
  };
  // Exact products (R-operator). U is quadratic in the Target's output: ∂U/∂out = (2/B)(A ⊙ out − C) with
  // A = factual one-hot (both heads) + mask ⊙ w and C = one-hot ⊙ y + mask ⊙ w ⊙ ψ(x), so ∂²U/∂out² = (2/B)·diag(A).
  const n = rows.length;
  const outLoss = tf.tidy(() => {
    const mw = tf.mul(mask, gates);
    return { a: tf.add(batch.oneHot2, mw) as tf.Tensor2D, c: tf.add(batch.target2, tf.mul(mw, teacher)) as tf.Tensor2D };
  });
  keepAll.push(outLoss.a, outLoss.c);
  const loss: OutputLoss = {
    grad: (out) => tf.mul(2 / n, tf.sub(tf.mul(outLoss.a, out), outLoss.c)) as tf.Tensor2D,
    hvp: (_out, r) => tf.mul(2 / n, tf.mul(outLoss.a, r)) as tf.Tensor2D,
  };
  const toF32 = (v: Vec): Float32Array => (v instanceof Float32Array ? v : Float32Array.from(v));
  const hvp = (theta: Float32Array, v: Vec): Float32Array => {
    const ps = tensorsFromFlat(theta, thetaShapes);
    const vs = tensorsFromFlat(toF32(v), thetaShapes);
    try {
      const hv = tf.tidy(() => mlpHvp(ps, vs, batch.x, ctx.spec, loss, batch.xT).hv);
      const flat = flatFromTensors(hv);
      tf.dispose(hv);
      return flat;
    } finally {
      tf.dispose([...ps, ...vs]);
    }
  };
  // ∇_φ⟨∇_θ U, v⟩: only the counterfactual part of ∂U/∂out, −(2/B)·mask ⊙ w ⊙ (ψ − out), depends on φ.
  const mixed = (phi: Float32Array, theta: Float32Array, v: Vec): Float32Array => {
    const ps = tensorsFromFlat(theta, thetaShapes);
    const vs = tensorsFromFlat(toF32(v), thetaShapes);
    const ph = tensorsFromFlat(phi, phiShapes);
    try {
      const grads = tf.tidy(() => {
        const { out, rOut } = mlpJvp(ps, vs, batch.x, ctx.spec);
        const e = tf.mul(-2, tf.mul(mask, tf.mul(tf.sub(teacher, out), rOut))) as tf.Tensor2D;
        return tf.grads((...qs: tf.Tensor[]) => potentialGatePart(gateValues(qs, batch.x, ctx.bridgeSpec, batch.xT), e, n))(ph);
      });
      const flat = flatFromTensors(grads);
      tf.dispose(grads);
      return flat;
    } finally {
      tf.dispose([...ps, ...vs, ...ph]);
    }
  };
  return {
    gradThetaLow,
    gradPhiLow,
    hvp,
    mixed,
    dispose: () => {
      tf.dispose(keepAll);
      disposeBatch(batch);
    },
  };
}

/**
 * One Bi-DFCL hypergradient (METHOD.md §3.5, paper Alg. 1 inner part), pure in (context, θ, φ, batches, settings):
 * θ* by k look-ahead steps on L_low from a copy of θ; ∇_θ L_up (PPL or PIFD at the RCT batch's λ*) at θ*;
 * then either the implicit hypergradient — CG on (H_θθ + δI)v = ∇_θ L_up with finite-difference products on the
 * last look-ahead batch (optionally its first `hvpRows` rows), ∇_φ = −∇²_φθ U · v — or the explicit one,
 * ∇_φ ≈ −α ∇²_φθ U · ∇_θ L_up with α the Target's learning rate. U is the lower level's potential (see
 * `potentialGatePart`): its θ-gradient is L_low's, its mixed derivative is the one the IFT needs. Products are
 * central differences (bidfcl.hvp 'fd', default) or exact R-operator products ('exact').
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
    const exact = bidfcl.hvp === 'exact';
    const products = exact ? { hvp: low.hvp, mixed: low.mixed } : { gradThetaLow: low.gradThetaLow, gradPhiLow: low.gradPhiLow };
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
      res = explicitHypergradient({ ...products, gradThetaUp: up.grad, theta: thetaStar, phi: state.phi, alpha: training.learningRate, eps0: bidfcl.eps0 });
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
  const batches = selectHypergradBatches(
    { lowerRows: ctx.lower.n, rctRows: ctx.rct.n },
    seeds,
    { k: settings.bidfcl.k, batchSize: settings.training.batchSize, rctBatchSize: settings.bidfcl.rctBatchSize },
  );
  return hypergradStep(ctx, state, batches, settings, kind, variant);
}
