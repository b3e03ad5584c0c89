// Is Bi-DFCL's hypergradient a useful direction? (issue 11 §2; a measurement that prints numbers, not a test.)
// Usage: node packages/cli/bench/hypergrad-direction.mjs [--scenario marketing-8] [--seeds 0,1] [--random 8]
//          [--radius 0.5,2] [--hvp fd|exact|gauss-newton] [--states 3]
// Needs a built tree and a Redis. For each seed: simulates the scenario at default sizes, builds its features through
// the queues, trains bidfcl-ppl (default settings) in process and keeps the checkpoint of every bi-level epoch.
// At `--states` of those checkpoints (spread over the bi-level phase) it computes ∇φ L_up for the next hypergradient
// step, moves φ by `radius` along −∇φ/‖∇φ‖ (the step Bi-DFCL takes, scaled) and along `--random` random unit
// directions, and from each moved state trains one more epoch of the lower level with φ frozen (no hypergradient).
// Printed per state and radius: the change of the validation EOM (the run's own criterion, doubly robust) and of the
// true value on the test split (simulator truth, budget 0.5 × the random assignment's true cost) against the
// unmoved state's epoch, for the hypergradient direction and as mean ± sd over the random ones, and the
// hypergradient's rank among them (1 = best). Same batches for every direction: differences are the directions'.
import { parseArgs } from 'node:util';
import { runConfigSchema, keys } from '@bidfcl/contracts';
import { allocateBudget, simulate } from '@bidfcl/core';
import { loadFeatureSplit } from '@bidfcl/io';
import {
  createBidfclContext,
  hypergradSeeds,
  hypergradStep,
  hypergradStepFromSeeds,
  selectHypergradBatches,
  initBackend,
  predictScores,
  trainBidfcl,
} from '@bidfcl/learn';
import { loadTrainingData } from '@bidfcl/worker-observational-trainer';
import { createTestRuntime } from '@bidfcl/runtime/testing';
import * as tf from '@tensorflow/tfjs';
import { startAllRoles } from '../dist/cluster.js';
import { runToCompletion } from '../dist/local-run.js';
import { resolveScenario } from '../dist/commands/simulate.js';
import { writeSimulatedDataset } from '../dist/simulated-dataset.js';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'marketing-8' },
    seeds: { type: 'string', default: '0' },
    random: { type: 'string', default: '8' },
    radius: { type: 'string', default: '0.5,2' },
    hvp: { type: 'string', default: 'fd' },
    states: { type: 'string', default: '3' },
  },
});
const seeds = values.seeds.split(',').map(Number);
const radii = values.radius.split(',').map(Number);
const R = Number(values.random);

/** Deterministic N(0, 1) draws (Box–Muller on a 32-bit LCG) for the random directions. */
function normals(n, seed) {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 1) / 4294967297;
  return Float32Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}
const unit = (v) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const flat = (named) => {
  const total = named.reduce((a, p) => a + p.values.length, 0);
  const out = new Float32Array(total);
  let at = 0;
  for (const p of named) out.set(p.values, (at += p.values.length) - p.values.length);
  return out;
};
const unflat = (named, v) => {
  let at = 0;
  return named.map((p) => ({ ...p, values: v.slice(at, (at += p.values.length)) }));
};
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
const sd = (a) => Math.sqrt(a.reduce((x, y) => x + (y - mean(a)) ** 2, 0) / Math.max(1, a.length - 1));

await initBackend();
const rt = await createTestRuntime('hg-direction');
try {
  for (const seed of seeds) {
    const scenario = { ...(await resolveScenario(values.scenario, {})), seed };
    const name = `hgdir-s${seed}`;
    const target = { store: rt.ctx.store, prefix: keys.datasetPrefix(name, 'v1'), uriOf: (k) => `store:${k}` };
    const { spec } = await writeSimulatedDataset(simulate(scenario), target, name, 'v1');
    const config = runConfigSchema.parse({
      runId: `hgdir-${seed}`,
      seed,
      dataset: spec,
      methods: ['random'],
      bidfcl: { hvp: values.hvp },
    });
    const cluster = startAllRoles(rt.ctx, 1);
    try {
      await runToCompletion(rt.ctx, config); // builds the features; 'random' trains nothing
    } finally {
      await cluster.close();
    }
    const manifest = await rt.ctx.store.getJson(keys.featuresManifest(config.runId));
    const data = await loadTrainingData(rt.ctx.store, manifest, true);
    const test = await loadFeatureSplit(rt.ctx.store, manifest, 'test');
    const settings = { training: config.training, dfcl: config.dfcl, bidfcl: config.bidfcl, seed };

    const states = [];
    const t0 = performance.now();
    const base = await trainBidfcl('bidfcl-ppl', data, settings, {
      checkpoint: (s) => {
        if (s.batchInEpoch === 0 && s.biBatches > 0) states.push(structuredClone(s));
      },
    });
    tf.dispose([...base.params, ...(base.lastParams ?? []), ...base.teacher, ...base.bridge]);
    console.log(
      `seed ${seed}: bidfcl-ppl trained ${base.lastEpoch} epochs in ` +
        `${((performance.now() - t0) / 1000).toFixed(0)} s; ` +
        `${states.length} bi-level checkpoints`,
    );

    // True value on the test split at half the random assignment's true cost.
    const { n, m } = test;
    let randomCost = 0;
    for (let i = 0; i < n * m; i++) randomCost += test.trueCost[i];
    const budget = (0.5 * randomCost) / (n * m);
    const trueValue = (params) => {
      const scores = predictScores(params, base.spec, test, data.scale, data.zeroCostArms);
      const { assignment } = allocateBudget(scores, budget);
      let v = 0;
      for (let i = 0; i < n; i++) v += test.trueRevenue[i * m + assignment[i]];
      return v / n;
    };
    /** One more epoch of the lower level from `state` with φ frozen: its validation EOM and test true value. */
    const epochFrom = async (state) => {
      let valEom;
      const frozen = {
        ...settings,
        training: { ...settings.training, epochs: state.epoch + 1, patience: 1000 },
        bidfcl: { ...settings.bidfcl, phiLearningRate: 0, k: 1e9 },
      };
      const r = await trainBidfcl('bidfcl-ppl', data, frozen, {
        resume: state,
        onEpoch: (e) => (valEom = e.valEom),
      });
      const tv = trueValue(r.lastParams ?? r.params); // lastParams only when the last epoch was not selected
      tf.dispose([...r.params, ...(r.lastParams ?? []), ...r.teacher, ...r.bridge]);
      return { valEom, tv };
    };

    const picks = [
      ...new Set(
        Array.from({ length: Number(values.states) }, (_, q) =>
          Math.round(((q + 1) * (states.length - 1)) / Number(values.states)),
        ),
      ),
    ];
    for (const idx of picks) {
      const s = states[idx];
      if (!s) continue;
      const teacher = s.teacher.map((p) => tf.tensor(p.values, p.shape));
      const ctx = createBidfclContext({ ...data, obs: data.obs }, teacher, settings);
      tf.dispose(teacher);
      const theta = flat(s.theta);
      const phi = flat(s.phi);
      // How far φ has moved since the first bi-level checkpoint (one bi-level epoch in): what the hypergradients did.
      const phi0 = flat(states[0].phi);
      const moved0 = Math.hypot(...phi.map((p, i) => p - phi0[i]));
      const hg = hypergradStepFromSeeds(
        ctx,
        { theta, phi },
        hypergradSeeds(seed, s.totals.hypergradients),
        settings,
        'ppl',
        'implicit',
      );
      const descent = unit(hg.gradPhi.map((g) => -g));
      // First-order check on the hypergradient's own problem: L_up on its RCT batch at θ*(φ) (k look-ahead steps on its
      // OBS batches), along ±ε·d, for d = −∇φ/‖∇φ‖ and the random directions. The explicit variant skips CG: the same
      // θ* and batch, so the same upper loss.
      const batches = selectHypergradBatches(
        { lowerRows: ctx.lower.n, rctRows: ctx.rct.n },
        hypergradSeeds(seed, s.totals.hypergradients),
        { k: settings.bidfcl.k, batchSize: settings.training.batchSize, rctBatchSize: settings.bidfcl.rctBatchSize },
      );
      const upAt = (d, eps) =>
        hypergradStep(ctx, { theta, phi: phi.map((p, i) => p + eps * d[i]) }, batches, settings, 'ppl', 'explicit')
          .upperLoss;
      const slope = (d, eps) => (upAt(d, eps) - upAt(d, -eps)) / (2 * eps);
      for (const eps of [0.01, ...radii]) {
        const randomSlopes = Array.from({ length: R }, (_, k) =>
          slope(unit(normals(phi.length, 1000 * seed + 17 * k + 1)), eps),
        );
        console.log(
          `  seed ${seed} epoch ${s.epoch} ε ${eps}: dL_up/dε on the hypergradient's own batches along −∇φ/‖∇φ‖ ` +
            `${slope(descent, eps).toExponential(3)} ` +
            `(predicted −‖∇φ‖ = ${(-Math.hypot(...hg.gradPhi)).toExponential(3)}), ` +
            `along random directions ${mean(randomSlopes).toExponential(3)} ± ${sd(randomSlopes).toExponential(3)}`,
        );
      }
      ctx.dispose();
      const ref = await epochFrom(s);
      for (const rho of radii) {
        const moved = async (d) => {
          const phi2 = phi.map((p, i) => p + rho * d[i]);
          const r = await epochFrom({ ...s, phi: unflat(s.phi, phi2) });
          return { dVal: r.valEom - ref.valEom, dTv: r.tv - ref.tv };
        };
        const h = await moved(descent);
        const rand = [];
        for (let k = 0; k < R; k++) rand.push(await moved(unit(normals(phi.length, 1000 * seed + 17 * k + 1))));
        const rank = (key) => 1 + rand.filter((x) => x[key] > h[key]).length;
        console.log(
          `  seed ${seed} epoch ${s.epoch} ‖φ‖ ${Math.hypot(...phi).toFixed(2)} ` +
            `(moved ${moved0.toFixed(4)} since epoch ` +
            `${states[0].epoch}) radius ${rho} ` +
            `(CG ${hg.cgIterations} it., ${hg.negativeCurvatureStops ? 'stopped on curvature' : 'no such stop'}): ` +
            `Δ val EOM hypergradient ${h.dVal.toFixed(5)} vs random ${mean(rand.map((x) => x.dVal)).toFixed(5)} ± ` +
            `${sd(rand.map((x) => x.dVal)).toFixed(5)} (rank ${rank('dVal')}/${R + 1}); ` +
            `Δ test true value ${h.dTv.toFixed(5)} vs ${mean(rand.map((x) => x.dTv)).toFixed(5)} ± ` +
            `${sd(rand.map((x) => x.dTv)).toFixed(5)} (rank ${rank('dTv')}/${R + 1})`,
        );
      }
    }
  }
} finally {
  await rt.cleanup();
}
