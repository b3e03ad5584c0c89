import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bidfclConfigSchema, dfclConfigSchema, trainingConfigSchema } from '@bidfcl/contracts';
import { initBackend } from '../backend.js';
import { flatFromTensors } from '../bilevel/tensor-closures.js';
import { norm } from '../bilevel/vector-ops.js';
import { initMlp } from '../mlp.js';
import { upliftSpec } from '../uplift-model.js';
import { selectHypergradBatches } from './batches.js';
import { createBidfclContext, type BidfclContext } from './context.js';
import { hypergradStep, hypergradStepFromSeeds } from './hypergrad-step.js';
import { bridgeSpecOf } from './lower-level.js';
import type { BidfclSettings } from './settings.js';
import { tinyBidfclData } from './test-data.js';

const settings: BidfclSettings = {
  training: trainingConfigSchema.parse({ hidden: [16, 8], batchSize: 64, epochs: 2 }),
  dfcl: dfclConfigSchema.parse({}),
  bidfcl: bidfclConfigSchema.parse({ k: 3, nCg: 6, rctBatchSize: 128 }),
  seed: 1,
};

describe('selectHypergradBatches', () => {
  it('is a pure function of sizes and seeds, with k disjoint full batches and one RCT batch', () => {
    const opts = { k: 4, batchSize: 50, rctBatchSize: 64 };
    const a = selectHypergradBatches({ lowerRows: 400, rctRows: 200 }, { obsBatchSeed: 7, rctBatchSeed: 8 }, opts);
    const b = selectHypergradBatches({ lowerRows: 400, rctRows: 200 }, { obsBatchSeed: 7, rctBatchSeed: 8 }, opts);
    expect(a.obs.map((r) => Array.from(r))).toEqual(b.obs.map((r) => Array.from(r)));
    expect(Array.from(a.rct)).toEqual(Array.from(b.rct));
    expect(a.obs).toHaveLength(4);
    const all = a.obs.flatMap((r) => Array.from(r));
    expect(all).toHaveLength(200);
    expect(new Set(all).size).toBe(200);
    expect(all.every((i) => i >= 0 && i < 400)).toBe(true);
    expect(a.rct).toHaveLength(64);
    expect(new Set(a.rct).size).toBe(64);
    const c = selectHypergradBatches({ lowerRows: 400, rctRows: 200 }, { obsBatchSeed: 9, rctBatchSeed: 8 }, opts);
    expect(Array.from(c.obs[0] as Int32Array)).not.toEqual(Array.from(a.obs[0] as Int32Array));
    expect(Array.from(c.rct)).toEqual(Array.from(a.rct));
  });

  it('reuses rows across permutations when k·batchSize exceeds the table, and caps the RCT batch', () => {
    const r = selectHypergradBatches(
      { lowerRows: 30, rctRows: 10 },
      { obsBatchSeed: 1, rctBatchSeed: 2 },
      { k: 3, batchSize: 20, rctBatchSize: 64 },
    );
    expect(r.obs.map((b) => b.length)).toEqual([20, 20, 20]);
    expect(new Set(Array.from(r.obs[0] as Int32Array)).size).toBe(20);
    expect(r.rct).toHaveLength(10);
  });
});

describe('hypergradStep', () => {
  const data = tinyBidfclData({ rct: 200, val: 100, obs: 400, seed: 2 });
  const spec = upliftSpec(data.obs.d, data.obs.m, settings.training.hidden);
  let ctx: BidfclContext;
  let theta: Float32Array;
  let phi: Float32Array;
  beforeAll(async () => {
    await initBackend();
    const teacher = initMlp(spec, 11);
    ctx = createBidfclContext(data, teacher, settings);
    tf.dispose(teacher);
    const th = initMlp(spec, 12);
    const ph = initMlp(bridgeSpecOf(spec), 13);
    theta = flatFromTensors(th);
    phi = flatFromTensors(ph);
    tf.dispose([...th, ...ph]);
  });
  afterAll(() => ctx.dispose());

  it('is deterministic given the seeds, and the seeds matter', () => {
    const seeds = { obsBatchSeed: 21, rctBatchSeed: 22 };
    const tensorsBefore = tf.memory().numTensors;
    const a = hypergradStepFromSeeds(ctx, { theta, phi }, seeds, settings, 'ppl', 'implicit');
    const b = hypergradStepFromSeeds(ctx, { theta, phi }, seeds, settings, 'ppl', 'implicit');
    expect(tf.memory().numTensors).toBe(tensorsBefore); // no tensor leaks
    expect(a.gradPhi).toHaveLength(phi.length);
    // Exactly the fields a hypergradient worker answers with: the trainer cannot tell the two apart.
    expect(Object.keys(a).sort()).toEqual(['cgIterations', 'gradPhi', 'negativeCurvatureStops', 'upperLoss']);
    expect(Array.from(a.gradPhi)).toEqual(Array.from(b.gradPhi));
    expect(a.upperLoss).toBe(b.upperLoss);
    expect(a.cgIterations).toBe(b.cgIterations);
    expect(a.gradPhi.every(Number.isFinite)).toBe(true);
    expect(a.cgIterations + a.negativeCurvatureStops).toBeGreaterThan(0);
    expect(a.cgIterations).toBeLessThanOrEqual(settings.bidfcl.nCg);
    const c = hypergradStepFromSeeds(
      ctx,
      { theta, phi },
      { obsBatchSeed: 23, rctBatchSeed: 24 },
      settings,
      'ppl',
      'implicit',
    );
    expect(Array.from(c.gradPhi)).not.toEqual(Array.from(a.gradPhi));
  });

  it('gives a non-zero ∇φ for PPL and PIFD, implicit and explicit', () => {
    const batches = selectHypergradBatches(
      { lowerRows: ctx.lower.n, rctRows: ctx.rct.n },
      { obsBatchSeed: 5, rctBatchSeed: 6 },
      { k: 3, batchSize: 64, rctBatchSize: 128 },
    );
    for (const kind of ['ppl', 'pifd'] as const) {
      const imp = hypergradStep(ctx, { theta, phi }, batches, settings, kind, 'implicit');
      const exp = hypergradStep(ctx, { theta, phi }, batches, settings, kind, 'explicit');
      expect(exp.cgIterations).toBe(0);
      expect(imp.upperLoss).toBe(exp.upperLoss); // same θ* and RCT batch
      expect(Number.isFinite(imp.upperLoss)).toBe(true);
      // PIFD's surrogate can vanish when no RCT row is near a boundary; PPL's softmax never does.
      if (kind === 'ppl') {
        expect(norm(imp.gradPhi) + (imp.negativeCurvatureStops > 0 && imp.cgIterations === 0 ? 1 : 0)).toBeGreaterThan(
          0,
        );
        expect(norm(exp.gradPhi)).toBeGreaterThan(0);
      }
    }
  });

  // hvp: gauss-newton solves on a positive definite matrix (G + δI): never stopped by curvature, and with enough
  // iterations it reaches the tolerance; the fd default on the same batches is what issue 11 measured stopping.
  it('with hvp gauss-newton, CG is never stopped by negative curvature and ∇φ is non-zero', () => {
    const batches = selectHypergradBatches(
      { lowerRows: ctx.lower.n, rctRows: ctx.rct.n },
      { obsBatchSeed: 5, rctBatchSeed: 6 },
      { k: 3, batchSize: 64, rctBatchSize: 128 },
    );
    const gn: BidfclSettings = { ...settings, bidfcl: { ...settings.bidfcl, hvp: 'gauss-newton', nCg: 200 } };
    const tensorsBefore = tf.memory().numTensors;
    const a = hypergradStep(ctx, { theta, phi }, batches, gn, 'ppl', 'implicit');
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(a.negativeCurvatureStops).toBe(0);
    expect(a.cgIterations).toBeGreaterThan(0);
    expect(a.cgIterations).toBeLessThan(200); // stopped by its tolerance, not by the cap
    expect(norm(a.gradPhi)).toBeGreaterThan(0);
  });
});
