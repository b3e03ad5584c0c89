import { dfclConfigSchema } from '@bidfcl/contracts';
import { createRng, ipwValueAtLambda } from '@bidfcl/core';
import { describe, expect, it } from 'vitest';
import {
  batchLambdaStar,
  dualLambdas,
  MAX_TRAINING_LAMBDA,
  standardisedOutcomes,
  trainBudgetPerUser,
} from './lambda-selection.js';

describe('λ for the decision losses', () => {
  it("dualLambdas: lambdas × scale, 'auto' = mean revenue / mean cost", () => {
    const yr = [1, 2, 3, 6];
    const yc = [0, 1, 1, 2];
    expect(dualLambdas(dfclConfigSchema.parse({}), yr, yc)).toEqual(
      [0.1 * 3, 0.5 * 3, 1.0 * 3].map((v) => expect.closeTo(v, 12)),
    );
    expect(dualLambdas(dfclConfigSchema.parse({ lambdas: [2], lambdaScale: 0.25 }), yr, yc)).toEqual([0.5]);
  });

  it('trainBudgetPerUser = trainBudget × mean over arms of the mean RCT cost', () => {
    const rct = standardisedOutcomes(Int32Array.from([0, 1, 1, 2]), [0, 0, 0, 0], [0, 2, 4, 9], [0.25, 0.5, 0.25]);
    expect(trainBudgetPerUser(dfclConfigSchema.parse({ trainBudget: 0.5 }), rct)).toBeCloseTo(
      0.5 * ((0 + 3 + 9) / 3),
      12,
    );
  });

  it('batchLambdaStar meets the budget on the batch with ĉ = 0 on zero-cost arms', () => {
    const n = 400;
    const m = 3;
    const rng = createRng(4);
    const arm = Int32Array.from({ length: n }, () => rng.int(m));
    const yr = Float32Array.from(arm, (t) => (rng.next() < 0.3 + 0.1 * t ? 2 : 0));
    const yc = Float32Array.from(arm, (t, i) => (yr[i]! > 0 ? t : 0));
    // Arm 0's cost head predicts something positive: it must be ignored.
    const pred = Float32Array.from({ length: n * 2 * m }, (_, k) =>
      k % (2 * m) < m ? 1 + rng.next() : 0.2 + rng.next(),
    );
    const props = [1 / 3, 1 / 3, 1 / 3];
    const host = { n, m, arm, yr, yc };
    const budget = 0.3;
    const lambda = batchLambdaStar(pred, host, props, [true, false, false], budget);
    expect(lambda).toBeGreaterThan(0);
    const r = new Float64Array(n * m);
    const c = new Float64Array(n * m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        r[i * m + j] = pred[i * 2 * m + j]!;
        c[i * m + j] = j === 0 ? 0 : pred[i * 2 * m + m + j]!;
      }
    }
    const at = ipwValueAtLambda({ n, m, r, c }, standardisedOutcomes(arm, yr, yc, props), lambda);
    expect(at.cost).toBeLessThanOrEqual(budget * (1 + 1e-3));
    // Spending notably less would mean a smaller λ was available: cost is within the IPW step of the budget.
    expect(at.cost).toBeGreaterThan(budget - 0.05);
    // Collapsed cost predictions (1e-30) would need λ ≈ 1e30 (beyond float32 once multiplied): capped.
    const collapsed = Float32Array.from(pred, (v, k) => (k % (2 * m) < m ? v : 1e-30));
    expect(batchLambdaStar(collapsed, host, props, [true, false, false], budget)).toBe(MAX_TRAINING_LAMBDA);
  });
});
