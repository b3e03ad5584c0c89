import * as tf from '@tensorflow/tfjs';
import type { MlpSpec } from '../mlp.js';

/** dh/dz and d²h/dz² of a layer's activation at its pre-activation z (relu'' = 0 almost everywhere). */
function activationDerivatives(
  act: 'relu' | 'softplus' | 'linear',
  z: tf.Tensor2D,
): { d1: tf.Tensor2D | null; d2: tf.Tensor2D | null } {
  if (act === 'relu') return { d1: tf.step(z) as tf.Tensor2D, d2: null };
  if (act === 'softplus') {
    const s = tf.sigmoid(z) as tf.Tensor2D;
    return { d1: s, d2: tf.mul(s, tf.sub(1, s)) as tf.Tensor2D };
  }
  return { d1: null, d2: null };
}

const mulMaybe = (a: tf.Tensor2D, b: tf.Tensor2D | null): tf.Tensor2D => (b ? (tf.mul(a, b) as tf.Tensor2D) : a);
// matMul(aᵀ, b) and matMul(a, bᵀ) with explicit transposes: the wasm backend runs transpose flags ~7× slower.
const matMulTA = (a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D => tf.matMul(tf.transpose(a), b);
const matMulTB = (a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D => tf.matMul(a, tf.transpose(b));

/** How the loss depends on the network output: its gradient and its Hessian applied to an output direction. */
export interface OutputLoss {
  /** ∂ℓ/∂out at `out`, [B, outputDim]. */
  grad(out: tf.Tensor2D): tf.Tensor2D;
  /** (∂²ℓ/∂out²)·rOut, [B, outputDim]. */
  hvp(out: tf.Tensor2D, rOut: tf.Tensor2D): tf.Tensor2D;
}

/**
 * Exact Hessian-vector product of L(θ) = ℓ(MLP_θ(x)) by Pearlmutter's R-operator: one forward pass carrying the
 * directional derivative R(·) = d/dt(·)(θ + t v), then one backward pass carrying R of the back-propagated
 * gradients. First-order tensor ops only, so it sidesteps TensorFlow.js's unreliable second-order gradients, and
 * unlike central differences it is not disturbed by ReLU units switching inside the probe: it returns the
 * almost-everywhere Hessian (what double back-propagation gives in PyTorch), at about twice a gradient's cost.
 * Hidden layers are ReLU, the output activation is `spec.outputActivation` (as in `mlpForward`).
 * Returns H v as a tensor list shaped like `params`, and R(out) = J v (the output's directional derivative,
 * which mixed second derivatives of output-level terms need). `xT` = xᵀ saves the first layer's transpose.
 * Call inside tf.tidy.
 */
export function mlpHvp(
  params: tf.Tensor[],
  v: tf.Tensor[],
  x: tf.Tensor2D,
  spec: MlpSpec,
  loss: OutputLoss,
  xT?: tf.Tensor2D,
): { hv: tf.Tensor[]; rOut: tf.Tensor2D } {
  const layers = spec.hidden.length + 1;
  if (params.length !== 2 * layers || v.length !== 2 * layers) {
    throw new Error(
      `mlpHvp: expected ${2 * layers} parameter and direction tensors, got ${params.length} and ${v.length}`,
    );
  }
  const W = (l: number): tf.Tensor2D => params[2 * l] as tf.Tensor2D;
  const b = (l: number): tf.Tensor1D => params[2 * l + 1] as tf.Tensor1D;
  const V = (l: number): tf.Tensor2D => v[2 * l] as tf.Tensor2D;
  const c = (l: number): tf.Tensor1D => v[2 * l + 1] as tf.Tensor1D;
  const acts = Array.from(
    { length: layers },
    (_, l) => (l + 1 < layers ? 'relu' : spec.outputActivation) as 'relu' | 'softplus' | 'linear',
  );

  // Forward with R-forward. h[l] is layer l's input (h[0] = x); rh[l] its R (null for the data).
  const h: tf.Tensor2D[] = [x];
  const rh: (tf.Tensor2D | null)[] = [null];
  const der: { d1: tf.Tensor2D | null; d2: tf.Tensor2D | null }[] = [];
  const rz: tf.Tensor2D[] = [];
  for (let l = 0; l < layers; l++) {
    const z = tf.add(tf.matMul(h[l] as tf.Tensor2D, W(l)), b(l)) as tf.Tensor2D;
    let r = tf.add(tf.matMul(h[l] as tf.Tensor2D, V(l)), c(l)) as tf.Tensor2D;
    const prev = rh[l];
    if (prev) r = tf.add(r, tf.matMul(prev, W(l))) as tf.Tensor2D;
    const d = activationDerivatives(acts[l] as 'relu' | 'softplus' | 'linear', z);
    const out = acts[l] === 'relu' ? tf.relu(z) : acts[l] === 'softplus' ? tf.softplus(z) : z;
    der.push(d);
    rz.push(r);
    h.push(out as tf.Tensor2D);
    rh.push(mulMaybe(r, d.d1));
  }
  const out = h[layers] as tf.Tensor2D;
  const rOut = rh[layers] as tf.Tensor2D;

  // Backward with R-backward.
  let dh = loss.grad(out);
  let rdh = loss.hvp(out, rOut);
  const hv: tf.Tensor[] = new Array<tf.Tensor>(2 * layers);
  for (let l = layers - 1; l >= 0; l--) {
    const { d1, d2 } = der[l] as { d1: tf.Tensor2D | null; d2: tf.Tensor2D | null };
    const dz = mulMaybe(dh, d1);
    let rdz = mulMaybe(rdh, d1);
    if (d2) rdz = tf.add(rdz, tf.mul(tf.mul(d2, rz[l] as tf.Tensor2D), dh)) as tf.Tensor2D;
    const input = h[l] as tf.Tensor2D;
    const rInput = rh[l];
    let hW = l === 0 && xT ? tf.matMul(xT, rdz) : matMulTA(input, rdz);
    if (rInput) hW = tf.add(hW, matMulTA(rInput, dz)) as tf.Tensor2D;
    hv[2 * l] = hW;
    hv[2 * l + 1] = tf.sum(rdz, 0);
    if (l > 0) {
      rdh = tf.add(matMulTB(rdz, W(l)), matMulTB(dz, V(l))) as tf.Tensor2D;
      dh = matMulTB(dz, W(l));
    }
  }
  return { hv, rOut };
}

/**
 * Output and its directional derivative J v = d/dt MLP_{θ + t v}(x) at t = 0 (the R-forward pass of `mlpHvp`
 * alone), for mixed second derivatives of terms that depend on θ only through the output. Call inside tf.tidy.
 */
export function mlpJvp(
  params: tf.Tensor[],
  v: tf.Tensor[],
  x: tf.Tensor2D,
  spec: MlpSpec,
): { out: tf.Tensor2D; rOut: tf.Tensor2D } {
  const layers = spec.hidden.length + 1;
  if (params.length !== 2 * layers || v.length !== 2 * layers) {
    throw new Error(
      `mlpJvp: expected ${2 * layers} parameter and direction tensors, got ${params.length} and ${v.length}`,
    );
  }
  let h = x;
  let rh: tf.Tensor2D | null = null;
  for (let l = 0; l < layers; l++) {
    const W = params[2 * l] as tf.Tensor2D;
    const z = tf.add(tf.matMul(h, W), params[2 * l + 1] as tf.Tensor1D) as tf.Tensor2D;
    let r = tf.add(tf.matMul(h, v[2 * l] as tf.Tensor2D), v[2 * l + 1] as tf.Tensor1D) as tf.Tensor2D;
    if (rh) r = tf.add(r, tf.matMul(rh, W)) as tf.Tensor2D;
    const act = l + 1 < layers ? 'relu' : spec.outputActivation;
    const { d1 } = activationDerivatives(act, z);
    h = (act === 'relu' ? tf.relu(z) : act === 'softplus' ? tf.softplus(z) : z) as tf.Tensor2D;
    rh = mulMaybe(r, d1);
  }
  return { out: h, rOut: rh as tf.Tensor2D };
}
