import * as tf from '@tensorflow/tfjs';
import type { DeviceTable } from '../device-table.js';

/**
 * Standardised mean revenue per arm, then mean cost per arm, of a table's logged rows (2M values): where the
 * linear imputation of ltd-dr and autodebias starts (docs/method.md §3.9–§3.10). An arm without rows gets 0.
 */
export function armMeans(table: DeviceTable): Float32Array {
  const m = table.m;
  const sums = new Float64Array(2 * m);
  const counts = new Float64Array(m);
  for (let i = 0; i < table.n; i++) {
    const t = table.arm[i] as number;
    counts[t]! += 1;
    sums[t]! += table.yr[i] as number;
    sums[m + t]! += table.yc[i] as number;
  }
  return Float32Array.from(sums, (s, k) => {
    const c = counts[k % m] as number;
    return c > 0 ? s / c : 0;
  });
}

/** Parameters of the imputation x ↦ x·W + b, [B, 2M]: W = 0 (d × 2M) and b = the arm means. */
export function initLinearImputation(d: number, means: Float32Array): tf.Tensor[] {
  return [tf.zeros([d, means.length]), tf.tensor1d(means)];
}

/** Imputed outcomes x·W + b in the model's layout (revenue arms, then cost arms). */
export function linearImputation(x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  return tf.add(tf.matMul(x, w as tf.Tensor2D), b) as tf.Tensor2D;
}
