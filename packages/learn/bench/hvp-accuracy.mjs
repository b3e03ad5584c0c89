// Finite-difference vs exact (R-operator) Hessian-vector products of the Bi-DFCL lower level on the docs/method.md
// architecture (ReLU 128-64-32, softplus outputs), at a Target warm-started on OBS. Not a test.
// Usage: node packages/learn/bench/hvp-accuracy.mjs [obs=10000] [batch=1024]
import * as tf from '@tensorflow/tfjs';
import { bidfclConfigSchema, dfclConfigSchema, trainingConfigSchema } from '@bidfcl/contracts';
import {
  createBidfclContext,
  fdHvp,
  flatFromTensors,
  initBackend,
  initMlp,
  lowerLevelProducts,
  trainModel,
} from '../dist/index.js';
import { tinyBidfclData } from '../dist/bidfcl/test-data.js';

const [obsN = 10000, rows = 1024] = process.argv.slice(2).map(Number);
await initBackend();
const data = tinyBidfclData({
  rct: 4000,
  val: 1000,
  obs: obsN,
  armValues: [0, 1, 2, 3, 4, 5, 6, 7],
  features: 20,
  seed: 1,
});
const training = trainingConfigSchema.parse({ epochs: 3, batchSize: 256 });
const dfcl = dfclConfigSchema.parse({});
const settings = { training, dfcl, bidfcl: bidfclConfigSchema.parse({}), seed: 0 };
const teacher = await trainModel('tsm-rct', data, { training, dfcl, seed: 1 });
const target = await trainModel('tsm-obs', data, { training, dfcl, seed: 2 });
const ctx = createBidfclContext(data, teacher.params, settings);
const theta = flatFromTensors(target.params);
const phi = flatFromTensors(initMlp(ctx.bridgeSpec, 3));
const low = lowerLevelProducts(
  ctx,
  phi,
  Int32Array.from({ length: Math.min(rows, ctx.lower.n) }, (_, i) => i),
);
const norm = (a) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));
const dot = (a, b) => a.reduce((s, v, i) => s + v * b[i], 0);
const rng = tf.randomNormal([theta.length], 0, 1, 'float32', 7).dataSync();
const g = low.gradThetaLow(theta);
console.log(`params ${theta.length}, HVP batch ${rows} rows`);
for (const [name, v] of [
  ['v = ∇θ L_low', g],
  ['v random', rng],
]) {
  const exact = low.hvp(theta, v);
  console.log(`${name}: exact vᵀHv/‖v‖² = ${(dot(v, exact) / dot(v, v)).toExponential(3)}`);
  for (const eps0 of [1e-1, 1e-2, 1e-3, 1e-4, 1e-5]) {
    const fd = fdHvp(low.gradThetaLow, theta, v, eps0);
    const err = norm(fd.map((a, i) => a - exact[i])) / norm(exact);
    console.log(
      `  eps0 ${eps0.toExponential(0)}: FD vᵀHv/‖v‖² = ${(dot(v, fd) / dot(v, v)).toExponential(3)}, ` +
        `‖FD − exact‖/‖exact‖ = ${err.toExponential(2)}`,
    );
  }
}
const time = (f, n = 5) => {
  f();
  const t = performance.now();
  for (let i = 0; i < n; i++) f();
  return ((performance.now() - t) / n).toFixed(1);
};
console.log(
  `ms per product: FD ${time(() => fdHvp(low.gradThetaLow, theta, rng, 1e-2))}, ` +
    `exact ${time(() => low.hvp(theta, rng))}; gradient ${time(() => low.gradThetaLow(theta))}`,
);
