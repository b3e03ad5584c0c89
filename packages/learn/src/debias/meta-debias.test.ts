import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { disposeBatch } from '../bidfcl/lower-level.js';
import { flatGradient2, tensorsFromFlat } from '../bilevel/tensor-closures.js';
import { testRng } from '../bilevel/test-rng.js';
import { DeviceTable } from '../device-table.js';
import { initMlp, mlpForward, paramShapes } from '../mlp.js';
import { rctArmWeights, rctMseLoss } from '../mse-losses.js';
import { flattenParams } from '../params.js';
import { fitPropensityModel } from '../propensity-model.js';
import { sd, syntheticRct } from '../test-batches.js';
import { upliftSpec } from '../uplift-model.js';
import { autodebiasParameterisation } from './autodebias.js';
import { ltdDrParameterisation } from './ltd-dr.js';
import { metaGradient, type DebiasParameterisation } from './meta-debias.js';

beforeAll(async () => {
  await initBackend();
});

const d = 4;
const m = 3;
const obsTable = syntheticRct(400, d, m, 21);
const rctTable = syntheticRct(300, d, m, 22);
const scale = { revenue: sd(rctTable.revenue), cost: sd(rctTable.cost) };
const spec = upliftSpec(d, m, [6]);
const eta = 1;

const parameterisations: [string, () => DebiasParameterisation][] = [
  ['autodebias', () => autodebiasParameterisation(obsTable, scale)],
  ['ltd-dr', () => ltdDrParameterisation(fitPropensityModel(obsTable, 1), obsTable, scale, 50)],
];

describe('one-step look-ahead meta-gradient (docs/method.md §3.10)', () => {
  for (const [name, make] of parameterisations) {
    it(`${name}: equals central differences of φ ↦ L_rct(θ − η∇_θ L_obs(θ, φ)) along random directions`, () => {
      const obs = new DeviceTable(obsTable, scale);
      const rct = new DeviceTable(rctTable, scale);
      const param = make();
      const phiInit = param.init();
      const phiShapes = phiInit.map((t) => [...t.shape]);
      const thetaShapes = paramShapes(spec);
      const thetaInit = initMlp(spec, 5);
      const theta = flattenParams(thetaInit);
      const rng = testRng(9);
      // φ moved off its start so that every block (weights, imputation) carries a gradient.
      const phi = Float32Array.from(flattenParams(phiInit), (v) => v + 0.1 * rng.normal());
      const obsBatch = obs.batch(obs.allRows().subarray(0, 128));
      const rctBatch = rct.batch(rct.allRows().subarray(0, 128));
      const armWeights = rctArmWeights(rct.arm, m);
      const { gradPhi } = metaGradient({
        spec,
        param,
        theta,
        phi,
        phiShapes,
        obs: obsBatch,
        rct: rctBatch,
        rctArmWeights: armWeights,
        lookaheadRate: eta,
        eps0: 1e-2,
      });
      // The composite function, evaluated directly (its own θ-gradient, its own look-ahead step).
      const gradTheta = flatGradient2(
        (t, p) => param.loss(mlpForward(t, obsBatch.x, spec), p, obsBatch),
        thetaShapes,
        phiShapes,
        'a',
      );
      const F = (p: Float32Array): number => {
        const g = gradTheta(theta, p);
        const ahead = Float32Array.from(theta, (v, k) => v - eta * (g[k] as number));
        return tf.tidy(() => {
          const t = tensorsFromFlat(ahead, thetaShapes);
          return rctMseLoss(mlpForward(t, rctBatch.x, spec), rctBatch, armWeights).dataSync()[0] as number;
        });
      };
      const h = 1e-2;
      for (let r = 0; r < 3; r++) {
        const u = Float32Array.from(phi, () => rng.normal());
        const un = Math.hypot(...u);
        u.forEach((v, k) => (u[k] = v / un));
        const fd =
          (F(phi.map((v, k) => v + h * (u[k] as number))) - F(phi.map((v, k) => v - h * (u[k] as number)))) / (2 * h);
        const analytic = gradPhi.reduce((s, v, k) => s + v * (u[k] as number), 0);
        expect(Math.abs(analytic - fd)).toBeLessThan(0.02 * Math.abs(fd) + 1e-6);
        expect(Math.abs(fd)).toBeGreaterThan(1e-4); // the direction matters: the check can fail
      }
      disposeBatch(obsBatch);
      disposeBatch(rctBatch);
      [...phiInit, ...thetaInit].forEach((t) => t.dispose());
      obs.dispose();
      rct.dispose();
    });
  }
});
