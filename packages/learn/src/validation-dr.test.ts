import { dfclConfigSchema, trainingConfigSchema } from '@bidfcl/contracts';
import { eomAtBudget, ipwUniformRandomCost, rctOutcomesOf } from '@bidfcl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { validationDirect, validationEom } from './evaluate.js';
import { initMlp } from './mlp.js';
import { sd, syntheticRct } from './test-batches.js';
import { trainModel, type TrainData } from './train-model.js';
import { predictScores, upliftSpec } from './uplift-model.js';

beforeAll(async () => {
  await initBackend();
});

// training.validationEstimator (docs/method.md §4, "Doubly robust validation").
describe('doubly robust validation EOM', () => {
  const rct = syntheticRct(3000, 6, 3, 1);
  const val = syntheticRct(1500, 6, 3, 2);
  const propensities = [1 / 3, 1 / 3, 1 / 3];
  const scale = { revenue: sd(rct.revenue), cost: sd(rct.cost) };
  const zeroCostArms = [true, false, false];
  const spec = upliftSpec(6, 3, [8]);

  it('ipw has no direct model; dr fits one once per validation table and evaluates the same decisions with it', () => {
    expect(validationDirect('ipw', rct, val)).toBeUndefined();
    const direct = validationDirect('dr', rct, val)!;
    expect(direct).toMatchObject({ n: val.n, m: 3 });
    expect(validationDirect('dr', rct, val)).toBe(direct);
    const params = initMlp(spec, 7);
    const dr = validationEom(params, spec, val, scale, zeroCostArms, propensities, 0.5, direct);
    // The same λ search, by hand, with the core's DR option: the learn side only feeds it.
    const outcomes = rctOutcomesOf(val, propensities);
    const budget = 0.5 * ipwUniformRandomCost(outcomes);
    const scores = predictScores(params, spec, val, scale, zeroCostArms);
    expect(dr.eom).toBe(eomAtBudget(scores, outcomes, budget, { direct }).eom);
    const ipw = validationEom(params, spec, val, scale, zeroCostArms, propensities, 0.5);
    expect(ipw.eom).toBe(eomAtBudget(scores, outcomes, budget).eom);
    expect(dr.eom).not.toBe(ipw.eom);
    params.forEach((p) => p.dispose());
  });

  it('a decision-focused training records the DR validation EOM in its history when asked', async () => {
    const data: TrainData = { rct, val, propensities, scale, zeroCostArms };
    const config = (validationEstimator: 'ipw' | 'dr') => ({
      training: trainingConfigSchema.parse({ hidden: [8], epochs: 2, batchSize: 256, validationEstimator }),
      dfcl: dfclConfigSchema.parse({ alpha: 10, tau: 0.1 }),
      seed: 0,
    });
    const [ipw, dr] = [
      await trainModel('dfcl-ppl', data, config('ipw')),
      await trainModel('dfcl-ppl', data, config('dr')),
    ];
    // Same training (selection aside, the estimator changes nothing upstream): same losses, other valEom.
    expect(dr.history.map((h) => h.valLoss)).toEqual(ipw.history.map((h) => h.valLoss));
    expect(dr.history.map((h) => h.valEom)).not.toEqual(ipw.history.map((h) => h.valEom));
    for (const r of [ipw, dr]) {
      r.params.forEach((p) => p.dispose());
      r.lastParams?.forEach((p) => p.dispose());
    }
  });
});
