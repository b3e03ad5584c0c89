import * as tf from '@tensorflow/tfjs';
import type { FeatureTable } from '@bidfcl/contracts';
import { fitArmRidge } from '@bidfcl/core';
import type { TargetScale } from '../uplift-model.js';

/**
 * Where the linear imputation x ↦ x·W + b of ltd-dr and autodebias starts (docs/method.md §3.9–§3.10): one ridge
 * regression per arm of revenue and of cost on the logged rows (core's fitArmRidge, as for doubly robust
 * validation), in standardised target units. W is d × 2M and b has 2M entries (revenue arms, then cost arms);
 * an arm without rows starts at 0.
 */
export function initLinearImputation(table: FeatureTable, scale: TargetScale): tf.Tensor[] {
  const { d, m } = table;
  const ridge = fitArmRidge(table.x, d, table.arm, table.revenue, table.cost, m);
  const w = new Float32Array(d * 2 * m);
  const b = new Float32Array(2 * m);
  for (let j = 0; j < m; j++) {
    for (const [head, coef, unit] of [
      [0, ridge.revenue, scale.revenue],
      [m, ridge.cost, scale.cost],
    ] as const) {
      const base = j * (d + 1);
      b[head + j] = (coef[base] as number) / unit;
      for (let f = 0; f < d; f++) w[f * 2 * m + head + j] = (coef[base + 1 + f] as number) / unit;
    }
  }
  return [tf.tensor2d(w, [d, 2 * m]), tf.tensor1d(b)];
}

/** x·W + b: the imputed outcomes in the model's layout (and, for ltd-dr, the propensity logits). */
export function linearImputation(x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  return tf.add(tf.matMul(x, w as tf.Tensor2D), b) as tf.Tensor2D;
}
