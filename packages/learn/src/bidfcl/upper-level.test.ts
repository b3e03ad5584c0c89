import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dfclConfigSchema } from '@bidfcl/contracts';
import { initBackend } from '../backend.js';
import { makeDecisionContext } from '../dfcl-objective.js';
import { DeviceTable } from '../device-table.js';
import { batchLambdaStar } from '../lambda-selection.js';
import { initMlp, mlpForward } from '../mlp.js';
import { pplLoss } from '../policy-losses.js';
import { upliftSpec } from '../uplift-model.js';
import { tinyBidfclData } from './test-data.js';
import { upperLoss } from './upper-level.js';

describe('upperLoss', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('is PPL at the batch λ* that meets the training budget', () => {
    const data = tinyBidfclData({ rct: 300, val: 50, obs: 50, seed: 4 });
    const spec = upliftSpec(data.rct.d, data.rct.m, [8]);
    const table = new DeviceTable(data.rct, data.scale);
    const ctx = makeDecisionContext(
      dfclConfigSchema.parse({}),
      { arm: table.arm, yr: table.yr, yc: table.yc, m: table.m },
      data.propensities,
      data.zeroCostArms,
    );
    const theta = initMlp(spec, 3);
    tf.tidy(() => {
      const batch = table.batch(table.allRows());
      const { loss, lambda } = upperLoss(theta, batch, 'ppl', ctx, spec);
      const pred = mlpForward(theta, batch.x, spec);
      const expectedLambda = batchLambdaStar(
        pred.dataSync(),
        batch.host,
        data.propensities,
        data.zeroCostArms,
        ctx.budgetPerUser,
      );
      expect(lambda).toBe(expectedLambda);
      expect(lambda).toBeGreaterThan(0); // a half budget binds
      expect((loss.dataSync() as Float32Array)[0]).toBeCloseTo(
        (pplLoss(pred, batch, expectedLambda, ctx).dataSync() as Float32Array)[0] as number,
        6,
      );
    });
    tf.dispose(theta);
    table.dispose();
  });
});
