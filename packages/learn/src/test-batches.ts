import type { FeatureTable } from '@bidfcl/contracts';
import { createRng } from '@bidfcl/core';
import { batchFromHost, type Batch } from './device-table.js';

/**
 * Test helpers (not exported from the package): a Batch straight from arrays, and a small synthetic RCT
 * whose expected revenue and cost depend on the features in a known way.
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
