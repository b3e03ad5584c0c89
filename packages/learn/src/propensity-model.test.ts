import type { FeatureTable } from '@bidfcl/contracts';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '@bidfcl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { fitPropensityModel, ipsWeights, predictPropensities } from './propensity-model.js';

beforeAll(async () => {
  await initBackend();
});

/** Logged arms drawn from a known multinomial logistic policy. */
function loggedTable(n: number, seed: number): { table: FeatureTable; truth: Float64Array } {
  const d = 3;
  const m = 3;
  const W = [
    [0, 1.2, -0.8],
    [0, -0.5, 1.0],
    [0, 0.3, 0.3],
  ];
  const b = [0, -1, -2];
  const rng = createRng(seed);
  const x = new Float32Array(n * d);
  const arm = new Int32Array(n);
  const truth = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) x[i * d + k] = rng.normal();
    const logits = b.map((bj, j) => bj + W.reduce((s, row, k) => s + (row[j] as number) * (x[i * d + k] as number), 0));
    const mx = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - mx));
    const z = e.reduce((s, v) => s + v, 0);
    let u = rng.next();
    arm[i] = m - 1;
    for (let j = 0; j < m; j++) {
      truth[i * m + j] = (e[j] as number) / z;
      u -= truth[i * m + j]!;
      if (u < 0 && arm[i] === m - 1 && j < m - 1) {
        arm[i] = j;
        u = Infinity;
      }
    }
  }
  return { table: { n, d, m, x, arm, revenue: new Float64Array(n), cost: new Float64Array(n) }, truth };
}

describe('propensity model (multinomial logistic, tsm-ips)', () => {
  it('recovers a known logging policy: mean |ê − e| < 0.02 on 20k rows', () => {
    const { table, truth } = loggedTable(20000, 1);
    const before = tf.memory().numTensors;
    const model = fitPropensityModel(table, 7, { epochs: 8 });
    const p = predictPropensities(model, table);
    expect(tf.memory().numTensors).toBe(before);
    let err = 0;
    for (let k = 0; k < p.length; k++) err += Math.abs((p[k] as number) - (truth[k] as number));
    expect(err / p.length).toBeLessThan(0.02);
    // A marginal-only model (ignoring x) is far worse: the check can fail.
    const counts = [0, 0, 0];
    table.arm.forEach((t) => counts[t]!++);
    let errMarginal = 0;
    for (let k = 0; k < p.length; k++) errMarginal += Math.abs(counts[k % 3]! / table.n - (truth[k] as number));
    expect(errMarginal / p.length).toBeGreaterThan(0.1);
  });

  it('is deterministic in the seed, and clips IPS weights at maxWeight', () => {
    const { table } = loggedTable(3000, 2);
    const a = fitPropensityModel(table, 3, { epochs: 2, batchSize: 512 });
    const b = fitPropensityModel(table, 3, { epochs: 2, batchSize: 512 });
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    const p = predictPropensities(a, table);
    const w = ipsWeights(a, table, 4);
    let clipped = 0;
    for (let i = 0; i < table.n; i++) {
      const raw = 1 / (p[i * 3 + table.arm[i]!] as number);
      expect(w[i]).toBeCloseTo(Math.min(raw, 4), 4);
      if (raw > 4) clipped++;
    }
    expect(clipped).toBeGreaterThan(0);
  });
});
