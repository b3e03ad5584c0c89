// Training-step timings of the uplift MLP (docs/method.md §3.6 sizes) on the built package (dist/).
// Usage: node packages/learn/bench/step-time.mjs [--backend wasm|cpu] [--steps 15] [--batches 1024,4096]
// Prints median and best wall-clock ms per step, median CPU ms of this process (robust when other processes
// share the cores), and steps/s from the median wall time for: TSM (MSE), DFCL-PPL and DFCL-PIFD, plus the same MSE
// step with TensorFlow.js' default dense gradients (the transpose-flag matMuls this package avoids).
import * as tf from '@tensorflow/tfjs';
import { dfclConfigSchema } from '@bidfcl/contracts';
import { createRng } from '@bidfcl/core';
import {
  Adam,
  DeviceTable,
  ParamSet,
  dfclLoss,
  denseReference,
  factualMseLoss,
  initBackend,
  initMlp,
  makeDecisionContext,
  trainStep,
  upliftSpec,
} from '../dist/index.js';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const backend = await initBackend(args.backend ?? 'wasm');
const steps = Number(args.steps ?? 15);
const batches = (args.batches ?? '1024,4096').split(',').map(Number);
const n = 20000,
  d = 20,
  m = 8;

// Synthetic RCT rows: the timings do not depend on the values, only on the shapes.
const rng = createRng(1);
const x = Float32Array.from({ length: n * d }, () => rng.normal());
const arm = Int32Array.from({ length: n }, () => rng.int(m));
const revenue = Float64Array.from(arm, (t) => (rng.next() < 0.2 + 0.01 * t ? 30 * Math.exp(0.5 * rng.normal()) : 0));
const cost = Float64Array.from(arm, (t, i) => (revenue[i] > 0 ? t : 0));
const table = { n, d, m, x, arm, revenue, cost };
const scale = { revenue: 13, cost: 1.2 };
const propensities = new Array(m).fill(1 / m);
const zeroCostArms = Array.from({ length: m }, (_, j) => j === 0);
const spec = upliftSpec(d, m, [128, 64, 32]);
const device = new DeviceTable(table, scale);
const ctx = makeDecisionContext(
  dfclConfigSchema.parse({}),
  { arm: device.arm, yr: device.yr, yc: device.yc, m },
  propensities,
  zeroCostArms,
);

/** tf's default gradients: same network from matMul/add/relu/softplus, gradients by tf.variableGrads. */
function referenceStep(vars, adam, rows) {
  const value = tf.tidy(() => {
    const batch = device.batch(rows);
    const { value: v, grads } = tf.variableGrads(() => {
      let h = batch.x;
      for (let l = 0; l < 4; l++) h = denseReference(h, vars[2 * l], vars[2 * l + 1], l < 3 ? 'relu' : 'softplus');
      return factualMseLoss(h, batch);
    }, vars);
    adam.step(vars.map((v) => grads[v.name]));
    return v;
  });
  value.dataSync();
  value.dispose();
}

const variants = {
  'tsm (mse)': (vars, adam, rows) => trainStep(vars, adam, spec, device, rows, factualMseLoss),
  'dfcl-ppl': (vars, adam, rows) => trainStep(vars, adam, spec, device, rows, (p, b) => dfclLoss('ppl', p, b, ctx)),
  'dfcl-pifd': (vars, adam, rows) => trainStep(vars, adam, spec, device, rows, (p, b) => dfclLoss('pifd', p, b, ctx)),
  'tsm, tf default grads': referenceStep,
};

console.log(`backend ${backend}; MLP ${d}→128→64→32→${2 * m}; ${steps} timed steps after 3 warm-up steps`);
console.log('batch  variant                  median ms   best ms    cpu ms   steps/s   rows/s');
for (const batch of batches) {
  for (const [name, step] of Object.entries(variants)) {
    const init = initMlp(spec, 0);
    const set = new ParamSet(init);
    init.forEach((t) => t.dispose());
    const adam = new Adam(set.vars, { learningRate: 1e-3 });
    const times = [];
    const cpu = [];
    for (let s = 0; s < steps + 3; s++) {
      const start = (s * batch) % (n - batch);
      const rows = Int32Array.from({ length: batch }, (_, i) => start + i);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      step(set.vars, adam, rows);
      const wall = performance.now() - t0;
      const c1 = process.cpuUsage(c0);
      if (s >= 3) {
        times.push(wall);
        cpu.push((c1.user + c1.system) / 1000);
      }
    }
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    const med = times[Math.floor(times.length / 2)];
    const cpuMed = cpu[Math.floor(cpu.length / 2)];
    console.log(
      `${String(batch).padEnd(6)} ${name.padEnd(24)} ${med.toFixed(1).padStart(9)} ` +
        `${times[0].toFixed(1).padStart(9)} ${cpuMed.toFixed(1).padStart(9)} ${(1000 / med).toFixed(1).padStart(9)} ` +
        `${Math.round((1000 * batch) / med)
          .toString()
          .padStart(8)}`,
    );
    adam.dispose();
    set.dispose();
  }
}
device.dispose();
console.log(`tensors alive at exit: ${tf.memory().numTensors}`);
