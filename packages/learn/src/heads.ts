import * as tf from '@tensorflow/tfjs';

/**
 * y = x·K for a constant K, with the gradient dy·Kᵀ from a Kᵀ built on the host. Used to read the revenue and
 * cost heads (and r̂ − λĉ) out of the model's [B, 2M] output: on wasm a slice/split and its concat gradient
 * cost ~10× more than these tiny products, and tf's own matMul gradient would use the slow transpose flags.
 */
export function constMatMul(x: tf.Tensor2D, k: Float32Array, rows: number, cols: number): tf.Tensor2D {
  if (k.length !== rows * cols) throw new Error(`constMatMul: ${k.length} values for ${rows} × ${cols}`);
  const kT = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) kT[j * rows + i] = k[i * cols + j] as number;
  const kTensor = tf.tensor2d(k, [rows, cols]);
  const kTTensor = tf.tensor2d(kT, [cols, rows]);
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    save([kTTensor]); // kept by the engine until the backward pass, whatever tidy the caller is in
    return {
      value: tf.matMul(xi, kTensor),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.matMul(dy as tf.Tensor2D, saved[0] as tf.Tensor2D)],
    };
  });
  const y = f(x) as tf.Tensor2D;
  kTensor.dispose();
  kTTensor.dispose();
  return y;
}

/**
 * The [2M, M] matrix K with K[j, j] = revenueCoef[j] and K[M + j, j] = costCoef[j]: pred·K = revenueCoef·r̂ +
 * costCoef·ĉ per arm.
 */
export function headMatrix(revenueCoef: number[], costCoef: number[]): Float32Array {
  const m = revenueCoef.length;
  const k = new Float32Array(2 * m * m);
  for (let j = 0; j < m; j++) {
    k[j * m + j] = revenueCoef[j] as number;
    k[(m + j) * m + j] = costCoef[j] as number;
  }
  return k;
}

/** a·r̂ + b·ĉ per arm from the [B, 2M] output (a, b per arm). */
export function combineHeads(pred: tf.Tensor2D, revenueCoef: number[], costCoef: number[]): tf.Tensor2D {
  const m = revenueCoef.length;
  if (pred.shape[1] !== 2 * m) throw new Error(`combineHeads: output has ${pred.shape[1]} columns, expected 2 × ${m}`);
  return constMatMul(pred, headMatrix(revenueCoef, costCoef), 2 * m, m);
}
