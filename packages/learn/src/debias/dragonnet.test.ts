import * as tf from '@tensorflow/tfjs';
import { scenarioPreset, type FeatureTable } from '@bidfcl/contracts';
import { createWorld, simulateSplit } from '@bidfcl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { DeviceTable } from '../device-table.js';
import { initMlp } from '../mlp.js';
import { sd } from '../test-batches.js';
import { runTrainingLoop } from '../train-loop.js';
import { upliftSpec } from '../uplift-model.js';
import { dragonnetForward, dragonnetTrainer } from './dragonnet.js';

beforeAll(async () => {
  await initBackend();
});

/**
 * The marketing-8 simulator's OBS split with gammaLog = 0, so that its logging policy is a function of the
 * features alone and known exactly: P(t = j | x) = softmax_j(beta · wh·x · v_j / v_max + armBias_j).
 */
function loggedObs(n: number) {
  const scenario = scenarioPreset('marketing-8', { gammaLog: 0 });
  const world = createWorld(scenario);
  const split = simulateSplit(scenario, world, 'obs', n);
  const { d, m } = split;
  const values = scenario.armValues;
  const vMax = values[m - 1] as number;
  const truth = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    let score = 0;
    for (let k = 0; k < d; k++) score += (world.wh[k] as number) * (split.x[i * d + k] as number);
    const logits = values.map((v, j) => (scenario.beta * score * v) / vMax + (scenario.armBias[j] as number));
    const mx = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - mx));
    const z = e.reduce((s, v) => s + v, 0);
    e.forEach((v, j) => (truth[i * m + j] = v / z));
  }
  const table: FeatureTable = { n, d, m, x: split.x, arm: split.arm, revenue: split.revenue, cost: split.cost };
  return { table, truth };
}

/** Mean over rows of the total variation distance ½ Σ_j |p̂_ij − p_ij|. */
function meanTotalVariation(p: ArrayLike<number>, truth: Float64Array, n: number, m: number): number {
  let s = 0;
  for (let k = 0; k < n * m; k++) s += Math.abs((p[k] as number) - (truth[k] as number));
  return s / (2 * n);
}

describe('DragonNet (docs/method.md §3.8)', () => {
  it("the propensity head recovers the simulator's logging policy: mean TV < 0.07 on new users", async () => {
    const { table } = loggedObs(24000);
    const { n, m } = table;
    const heldOut = loggedObs(28000); // the last 4000 rows are new users (a smaller split is a prefix)
    const scale = { revenue: sd(table.revenue), cost: sd(table.cost) };
    const spec = upliftSpec(table.d, m, [32, 16]);
    const train = new DeviceTable(table, scale);
    const opts = { propensityWeight: 1, targetedWeight: 1, maxWeight: 50, learningRate: 3e-3 };
    const trainer = dragonnetTrainer(spec, train, opts, 3);
    let epochs = 0;
    const res = await runTrainingLoop({
      method: 'dragonnet',
      spec,
      train,
      epochs: 24,
      batchSize: 256,
      learningRate: opts.learningRate,
      patience: 10,
      seed: 2,
      initParams: () => initMlp(spec, 1),
      loss: () => tf.scalar(0),
      lossField: 'lowerLoss',
      validate: () => ({ fields: {}, score: ++epochs }), // a rising score keeps the last epoch
      auxiliary: trainer,
    });
    const rows = 4000;
    const x = tf.tensor2d(heldOut.table.x.subarray(n * table.d), [rows, table.d]);
    const p = tf.tidy(() =>
      tf.softmax(dragonnetForward(res.params, trainer.head.vars, spec, { x, xT: tf.transpose(x) }).logits),
    );
    const tv = meanTotalVariation(p.dataSync(), heldOut.truth.subarray(n * m), rows, m);
    // The marginal arm shares (what a head that learned nothing would give) are far off: the check can fail.
    const shares = new Float64Array(m);
    for (let i = 0; i < n; i++) shares[table.arm[i] as number]! += 1 / n;
    const marginal = Float64Array.from({ length: rows * m }, (_, k) => shares[k % m] as number);
    const tvMarginal = meanTotalVariation(marginal, heldOut.truth.subarray(n * m), rows, m);
    // Measured: 0.053 after 24 epochs; the project's multinomial logistic model, whose class holds the truth,
    // reaches 0.033 on the same rows; the marginal shares 0.204.
    expect(tv).toBeLessThan(0.07);
    expect(tvMarginal).toBeGreaterThan(0.2);
    [x, p, ...res.params, ...(res.lastParams ?? [])].forEach((t) => t.dispose());
    trainer.dispose();
    train.dispose();
  });
});
