import * as tf from '@tensorflow/tfjs';
import type { FeatureTable } from '@bidfcl/contracts';
import { createRng } from '@bidfcl/core';
import { Adam } from './adam.js';
import { dense } from './dense.js';
import { oneHotOf } from './device-table.js';

/** Multinomial logistic model of the logging policy: P(t = j | x) = softmax_j(x·W + b). */
export interface PropensityModel {
  d: number;
  m: number;
  /** d × m, row-major. */
  weights: Float32Array;
  bias: Float32Array;
}

export interface PropensityFitOptions {
  /** Passes over the table (default 5). */
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** L2 penalty on W (default 1e-4): keeps separable arms from driving propensities to exactly 0. */
  l2?: number;
}

/**
 * Fits the propensity model by Adam on the cross-entropy of the logged arms (docs/method.md §3, tsm-ips).
 * Starts from W = 0, b = log of the arm shares (the marginal model), so only the minibatch order depends on
 * `seed`; same table + seed → identical model.
 */
export function fitPropensityModel(
  table: FeatureTable,
  seed: number,
  opts: PropensityFitOptions = {},
): PropensityModel {
  const epochs = opts.epochs ?? 5;
  const batchSize = Math.min(opts.batchSize ?? 4096, table.n);
  const l2 = opts.l2 ?? 1e-4;
  const { n, d, m } = table;
  const counts = new Float32Array(m);
  for (let i = 0; i < n; i++) counts[table.arm[i] as number]! += 1;
  const w = tf.tidy(() => tf.variable(tf.zeros([d, m]), true));
  const b = tf.tidy(() => tf.variable(tf.tensor1d(Array.from(counts, (c) => Math.log((c + 1) / (n + m)))), true));
  const adam = new Adam([w, b], { learningRate: opts.learningRate ?? 0.05 });
  const xAll = tf.tensor2d(table.x, [n, d]);
  const rng = createRng(seed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  try {
    for (let e = 0; e < epochs; e++) {
      rng.shuffle(order);
      for (let s = 0; s + batchSize <= n; s += batchSize) {
        const rows = order.subarray(s, s + batchSize);
        tf.tidy(() => {
          const x = tf.gather(xAll, tf.tensor1d(rows, 'int32')) as tf.Tensor2D;
          const y = oneHotOf(
            Int32Array.from(rows, (i) => table.arm[i] as number),
            m,
          );
          const { grads } = tf.variableGrads(() => {
            const logp = tf.logSoftmax(dense(x, w, b, 'linear', false));
            const ce = tf.neg(tf.mean(tf.sum(tf.mul(y, logp), 1)));
            return tf.add(ce, tf.mul(l2, tf.sum(tf.square(w)))) as tf.Scalar;
          }, [w, b]);
          adam.step([grads[w.name] as tf.Tensor, grads[b.name] as tf.Tensor]);
        });
      }
    }
    return {
      d,
      m,
      weights: Float32Array.from(w.dataSync() as Float32Array),
      bias: Float32Array.from(b.dataSync() as Float32Array),
    };
  } finally {
    xAll.dispose();
    adam.dispose();
    w.dispose();
    b.dispose();
  }
}

/** P(t = j | x_i) for every row, n × m row-major (computed in batches; no tensor outlives the call). */
export function predictPropensities(model: PropensityModel, table: FeatureTable, batchSize = 16384): Float32Array {
  if (table.d !== model.d || table.m !== model.m)
    throw new Error(`predictPropensities: table is ${table.d}×${table.m}, model ${model.d}×${model.m}`);
  const { n, d, m } = table;
  const out = new Float32Array(n * m);
  const w = tf.tensor2d(model.weights, [d, m]);
  const b = tf.tensor1d(model.bias);
  for (let s = 0; s < n; s += batchSize) {
    const rows = Math.min(batchSize, n - s);
    const p = tf.tidy(() =>
      tf.softmax(tf.add(tf.matMul(tf.tensor2d(table.x.subarray(s * d, (s + rows) * d), [rows, d]), w), b)),
    );
    out.set(p.dataSync() as Float32Array, s * m);
    p.dispose();
  }
  w.dispose();
  b.dispose();
  return out;
}

/** tsm-ips weights w_i = min(1 / ê(t_i | x_i), maxWeight) (logging propensities reach 1e-13: clip). */
export function ipsWeights(model: PropensityModel, table: FeatureTable, maxWeight: number): Float32Array {
  const p = predictPropensities(model, table);
  const m = table.m;
  return Float32Array.from({ length: table.n }, (_, i) =>
    Math.min(1 / (p[i * m + (table.arm[i] as number)] as number), maxWeight),
  );
}
