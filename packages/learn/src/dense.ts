import * as tf from '@tensorflow/tfjs';

/** Activation applied inside a dense layer. */
export type DenseActivation = 'relu' | 'softplus' | 'linear';

/**
 * Forward pass; returns the output y and the tensor the activation's gradient needs (y itself for relu,
 * the pre-activation z for softplus, whose derivative σ(z) loses precision if recovered from y).
 */
function forward(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  b: tf.Tensor1D,
  act: DenseActivation,
): { y: tf.Tensor2D; keep: tf.Tensor2D } {
  if (act === 'softplus') {
    const z = tf.add(tf.matMul(x, w), b) as tf.Tensor2D;
    return { y: tf.softplus(z) as tf.Tensor2D, keep: z };
  }
  const y = tf.fused.matMul({ a: x, b: w, bias: b, activation: act }) as tf.Tensor2D;
  return { y, keep: y };
}

/**
 * Σ over the batch axis as a [1, B] × [B, n] product: the wasm backend's sum over axis 0 is ~10× slower
 * (it transposes first).
 */
function columnSums(dz: tf.Tensor2D): tf.Tensor1D {
  const [rows, cols] = dz.shape;
  return tf.reshape(tf.matMul(tf.ones([1, rows]), dz), [cols]);
}

/** dW = xᵀ·dz with an explicit transpose (or the host-built xᵀ), never matMul's transpose flags. */
function weightGrad(x: tf.Tensor2D, dz: tf.Tensor2D, xT?: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(xT ?? tf.transpose(x), dz);
}

/** dL/dz from dL/dy: relu 1[y > 0]; softplus σ(z); linear 1. */
function activationGrad(act: DenseActivation, keep: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  if (act === 'relu') return tf.mul(dy, tf.step(keep));
  if (act === 'softplus') return tf.mul(dy, tf.sigmoid(keep));
  return dy;
}

/**
 * act(x·W + b) with a hand-written gradient: dW = matMul(transpose(x), dz), dx = matMul(dz, transpose(W)).
 * tf's default matMul gradient uses matMul's transpose flags, which the wasm backend runs ~7× slower than an
 * explicit transpose followed by a plain matMul (ARCHITECTURE.md). `needInputGrad` = false skips dx for the
 * first layer (its input is data); there `xT` (= xᵀ, built on the host with the batch) also saves the transpose.
 * First-order only: the gradient function is not itself differentiable (use `denseReference` for nested
 * gradients).
 */
export function dense(
  x: tf.Tensor2D,
  w: tf.Tensor,
  b: tf.Tensor,
  act: DenseActivation,
  needInputGrad = true,
  xT?: tf.Tensor2D,
): tf.Tensor2D {
  const w2 = w as tf.Tensor2D;
  const b1 = b as tf.Tensor1D;
  if (needInputGrad) {
    const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [xi, wi, bi, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
      const { y, keep } = forward(xi as tf.Tensor2D, wi as tf.Tensor2D, bi as tf.Tensor1D, act);
      save([xi, wi, keep]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [xs, ws, ys] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
          const dz = activationGrad(act, ys, dy) as tf.Tensor2D;
          return [tf.matMul(dz, tf.transpose(ws)), weightGrad(xs, dz), columnSums(dz)];
        },
      };
    });
    return f(x, w2, b1) as tf.Tensor2D;
  }
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [wi, bi, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const { y, keep } = forward(x, wi as tf.Tensor2D, bi as tf.Tensor1D, act);
    // Saved (kept by the engine), not just captured: the caller's tidy may end before the backward pass.
    save(xT ? [keep, x, xT] : [keep, x]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const dz = activationGrad(act, saved[0] as tf.Tensor, dy) as tf.Tensor2D;
        return [weightGrad(saved[1] as tf.Tensor2D, dz, saved[2] as tf.Tensor2D | undefined), columnSums(dz)];
      },
    };
  });
  return f(w2, b1) as tf.Tensor2D;
}

/** The same layer with tf's default gradients (reference for tests and benchmarks). */
export function denseReference(x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor, act: DenseActivation): tf.Tensor2D {
  const z = tf.add(tf.matMul(x, w as tf.Tensor2D), b) as tf.Tensor2D;
  if (act === 'relu') return tf.relu(z);
  if (act === 'softplus') return tf.softplus(z);
  return z;
}
