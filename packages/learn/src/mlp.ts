import * as tf from '@tensorflow/tfjs';
import { createRng } from '@bidfcl/core';
import { dense } from './dense.js';

/** A fully connected network: ReLU hidden layers, then `outputDim` outputs with `outputActivation`. */
export interface MlpSpec {
  inputDim: number;
  hidden: number[];
  outputDim: number;
  /** softplus where every target is non-negative (docs/method.md §3.6), linear otherwise (e.g. gate logits). */
  outputActivation: 'softplus' | 'linear';
}

/** Layer widths from input to output: [inputDim, ...hidden, outputDim]. */
export function layerSizes(spec: MlpSpec): number[] {
  return [spec.inputDim, ...spec.hidden, spec.outputDim];
}

/** Shapes of the parameter list [kernel0, bias0, kernel1, bias1, …] in that order. */
export function paramShapes(spec: MlpSpec): number[][] {
  const sizes = layerSizes(spec);
  const shapes: number[][] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l] as number;
    const fanOut = sizes[l + 1] as number;
    shapes.push([fanIn, fanOut], [fanOut]);
  }
  return shapes;
}

/** Names matching `paramShapes`: `dense<k>/kernel`, `dense<k>/bias`. */
export function paramNames(spec: MlpSpec): string[] {
  const names: string[] = [];
  for (let l = 0; l < spec.hidden.length + 1; l++) names.push(`dense${l}/kernel`, `dense${l}/bias`);
  return names;
}

/**
 * Fresh parameters, deterministic in `seed`: He-normal kernels (variance 2/fan_in) for the ReLU layers,
 * Glorot-normal (variance 2/(fan_in + fan_out)) for the output layer, zero biases.
 */
export function initMlp(spec: MlpSpec, seed: number): tf.Tensor[] {
  const rng = createRng(seed);
  const shapes = paramShapes(spec);
  const nLayers = shapes.length / 2;
  const params: tf.Tensor[] = [];
  for (let l = 0; l < nLayers; l++) {
    const [fanIn, fanOut] = shapes[2 * l] as [number, number];
    const variance = l + 1 < nLayers ? 2 / fanIn : 2 / (fanIn + fanOut);
    const sd = Math.sqrt(variance);
    const w = new Float32Array(fanIn * fanOut);
    for (let k = 0; k < w.length; k++) w[k] = sd * rng.normal();
    params.push(tf.tensor2d(w, [fanIn, fanOut]), tf.zeros([fanOut]));
  }
  return params;
}

/** Throws unless `params` has the 2·(hidden + 1) tensors of `spec`. */
function checkParams(params: tf.Tensor[], spec: MlpSpec): void {
  const nLayers = spec.hidden.length + 1;
  if (params.length !== 2 * nLayers) {
    throw new Error(
      `mlpForward: expected ${2 * nLayers} parameter tensors ` +
        `for hidden ${JSON.stringify(spec.hidden)}, got ${params.length}`,
    );
  }
}

/**
 * The last hidden layer's output, [B, hidden.at(-1)]: the representation the output layer reads (DragonNet's
 * propensity head reads it too, docs/method.md §3.8). Same layers and arguments as inside `mlpForward`.
 */
export function mlpRepresentation(params: tf.Tensor[], x: tf.Tensor2D, spec: MlpSpec, xT?: tf.Tensor2D): tf.Tensor2D {
  checkParams(params, spec);
  let h = x;
  for (let l = 0; l < spec.hidden.length; l++)
    h = dense(h, params[2 * l] as tf.Tensor, params[2 * l + 1] as tf.Tensor, 'relu', l > 0, l === 0 ? xT : undefined);
  return h;
}

/**
 * Forward pass. `params` may be tf.Variables or plain tensors (so that learn-B can differentiate with respect
 * to perturbed copies). Every layer uses the custom-gradient dense layer (fast backward pass on wasm); the first
 * layer skips the gradient with respect to its input; pass `xT` (xᵀ, e.g. `Batch.xT`) to spare it a transpose.
 */
export function mlpForward(params: tf.Tensor[], x: tf.Tensor2D, spec: MlpSpec, xT?: tf.Tensor2D): tf.Tensor2D {
  return mlpOutput(params, mlpRepresentation(params, x, spec, xT), spec);
}

/** The output layer on a representation from `mlpRepresentation`. */
export function mlpOutput(params: tf.Tensor[], h: tf.Tensor2D, spec: MlpSpec): tf.Tensor2D {
  const l = spec.hidden.length;
  return dense(h, params[2 * l] as tf.Tensor, params[2 * l + 1] as tf.Tensor, spec.outputActivation, l > 0);
}
