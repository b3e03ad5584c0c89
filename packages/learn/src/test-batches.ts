import type * as tf from '@tensorflow/tfjs';
import type { FeatureTable } from '@bidfcl/contracts';
import { createRng } from '@bidfcl/core';
import { norm } from './bilevel/vector-ops.js';
import { denseReference } from './dense.js';
import { batchFromHost, type Batch } from './device-table.js';
import type { MlpSpec } from './mlp.js';
import type { TrainData } from './train-model.js';

/**
 * Test helpers (not exported from the package): a Batch straight from arrays, a small synthetic RCT
 * whose expected revenue and cost depend on the features in a known way, and references for derivative tests.
 */
export function batchOf(arm: number[], yr: number[], yc: number[], m: number): Batch {
  const a = Int32Array.from(arm);
  const host = { n: arm.length, m, arm: a, yr: Float32Array.from(yr), yc: Float32Array.from(yc) };
  return batchFromHost(new Float32Array(arm.length), 1, host);
}

/**
 * n rows, d features ~ N(0,1), arms uniform over m with arm values v_j = j (arm 0 free). Purchase probability
 * σ(−1 + x0 + v_j·s(x)/m) with responsiveness s(x) = softplus(1.5·x1); revenue = buy · 10·exp(0.3·x2),
 * cost = v_j · buy. Returns the table (raw units) and the true expected revenue/cost per arm.
 */
export function syntheticRct(n: number, d: number, m: number, seed: number): FeatureTable {
  const rng = createRng(seed);
  const x = new Float32Array(n * d);
  const arm = new Int32Array(n);
  const revenue = new Float64Array(n);
  const cost = new Float64Array(n);
  const trueRevenue = new Float64Array(n * m);
  const trueCost = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) x[i * d + k] = rng.normal();
    const x0 = x[i * d] as number;
    const x1 = x[i * d + 1] as number;
    const x2 = x[i * d + 2] as number;
    const s = Math.log1p(Math.exp(1.5 * x1));
    const basket = 10 * Math.exp(0.3 * x2);
    for (let j = 0; j < m; j++) {
      const p = 1 / (1 + Math.exp(-(-1 + x0 + (j * s) / m)));
      trueRevenue[i * m + j] = p * basket;
      trueCost[i * m + j] = j * p;
    }
    const t = rng.int(m);
    arm[i] = t;
    const p = trueRevenue[i * m + t]! / basket;
    const buy = rng.next() < p ? 1 : 0;
    revenue[i] = buy * basket;
    cost[i] = t * buy;
  }
  return { n, d, m, x, arm, revenue, cost, trueRevenue, trueCost };
}

/** Sample standard deviation. */
export function sd(v: ArrayLike<number>): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < v.length; i++) {
    s += v[i] as number;
    s2 += (v[i] as number) ** 2;
  }
  const mean = s / v.length;
  return Math.sqrt(s2 / v.length - mean * mean);
}

/**
 * Forward pass of an MLP built from plain tf ops (tf's own gradients, no custom kernels), so that nested
 * tf.grads give exact second derivatives to test the R-operator products against. `p` is [W1, b1, W2, b2, …].
 */
export function refForward(p: tf.Tensor[], x: tf.Tensor2D, spec: MlpSpec): tf.Tensor2D {
  let h = x;
  const layers = p.length / 2;
  for (let l = 0; l < layers; l++)
    h = denseReference(
      h,
      p[2 * l] as tf.Tensor,
      p[2 * l + 1] as tf.Tensor,
      l + 1 < layers ? 'relu' : spec.outputActivation,
    );
  return h;
}

/** Relative error ‖a − b‖ / ‖b‖ (b is the reference). */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return norm(Float64Array.from(a, (v, i) => v - (b[i] as number))) / norm(Float64Array.from(b));
}

/** JSON round trip of a checkpoint (as a worker would store it): Float32Arrays come back as arrays. */
export function reviveArrays(this: unknown, key: string, value: unknown): unknown {
  if (key === 'values' && value && typeof value === 'object')
    return Float32Array.from(Object.values(value as Record<string, number>));
  return value;
}

/**
 * The three-arm synthetic TrainData of the training tests (6 features, arm 0 free, uniform propensities): RCT,
 * validation and OBS tables of the given sizes, seeds 1, 2, 3, targets scaled by the RCT's standard deviations.
 */
export function syntheticTrainData(sizes: { rct: number; val: number; obs: number }): TrainData {
  const rct = syntheticRct(sizes.rct, 6, 3, 1);
  return {
    rct,
    val: syntheticRct(sizes.val, 6, 3, 2),
    obs: syntheticRct(sizes.obs, 6, 3, 3),
    propensities: [1 / 3, 1 / 3, 1 / 3],
    scale: { revenue: sd(rct.revenue), cost: sd(rct.cost) },
    zeroCostArms: [true, false, false],
  };
}
