import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@bidfcl/core';
import { initBackend } from '../backend.js';
import { emaWeight, ParamAverage } from './ema.js';

const shapes = [[3, 2], [4]];

/** A seeded sequence of T parameter lists (as float64 arrays, exactly representable in float32). */
function sequence(T: number, seed: number): Float64Array[][] {
  const rng = createRng(seed);
  return Array.from({ length: T }, () =>
    shapes.map((sh) => Float64Array.from({ length: sh.reduce((a, b) => a * b, 1) }, () => Math.fround(rng.normal()))),
  );
}

/** Closed form: Σ_s d^(T−s) θ_s / Σ_s d^(T−s), in float64. */
function closedForm(seq: Float64Array[][], d: number): Float64Array[] {
  const T = seq.length;
  let norm = 0;
  const out = shapes.map((sh) => new Float64Array(sh.reduce((a, b) => a * b, 1)));
  seq.forEach((params, s) => {
    const w = d ** (T - 1 - s);
    norm += w;
    params.forEach((p, k) =>
      p.forEach((v, i) => ((out[k] as Float64Array)[i] = ((out[k] as Float64Array)[i] as number) + w * v)),
    );
  });
  return out.map((o) => o.map((v) => v / norm));
}

function runAverage(seq: Float64Array[][], d: number): Float32Array[] {
  // A start value far from every iterate: β_1 = 1 must discard it.
  const init = shapes.map((sh) => tf.fill(sh, 1e3));
  const avg = new ParamAverage(init);
  tf.dispose(init);
  seq.forEach((params, s) => {
    const ts = params.map((p, k) => tf.tensor(Float32Array.from(p), shapes[k] as number[]));
    avg.update(ts, d, s + 1);
    tf.dispose(ts);
  });
  const out = avg.vars.map((v) => Float32Array.from(v.dataSync() as Float32Array));
  avg.dispose();
  return out;
}

describe('emaWeight', () => {
  it('is 1 at the first step, (1 − d)/(1 − d^t) after, and tends to 1 − d', () => {
    expect(emaWeight(0.999, 1)).toBe(1);
    expect(emaWeight(0.9, 2)).toBeCloseTo(0.1 / 0.19, 14);
    expect(emaWeight(0.5, 200)).toBeCloseTo(0.5, 14);
  });

  it('rejects a decay outside (0, 1) and a step below 1', () => {
    expect(() => emaWeight(1, 3)).toThrow(/decay/);
    expect(() => emaWeight(0, 3)).toThrow(/decay/);
    expect(() => emaWeight(0.9, 0)).toThrow(/step/);
    expect(() => emaWeight(0.9, 1.5)).toThrow(/step/);
  });
});

describe('ParamAverage', () => {
  beforeAll(async () => {
    await initBackend();
  });

  // d = 0.9 over 40 steps: geometric forgetting dominates; d = 0.999 over 12 steps: nearly the uniform mean.
  it.each([
    [0.9, 40],
    [0.5, 7],
    [0.999, 12],
  ])('after T steps with decay %s equals the closed-form weighted mean (T = %s)', (d, T) => {
    const seq = sequence(T, 11);
    const want = closedForm(seq, d);
    const got = runAverage(seq, d);
    // float32 recursion over ≤ 40 steps of O(1) values: absolute error well below 1e-5.
    got.forEach((g, k) =>
      g.forEach((v, i) => expect(Math.abs(v - ((want[k] as Float64Array)[i] as number))).toBeLessThan(1e-5)),
    );
  });

  it('is nearly the uniform (Polyak) mean while t ≪ 1/(1 − d): d = 0.999, 3 steps', () => {
    const seq = sequence(3, 12);
    const got = runAverage(seq, 0.999);
    // Normalised weights d², d, 1 over their sum differ from 1/3 by ≤ 3.4e-4 each: |avg − mean| ≤ 1e-3·max|θ_s|.
    shapes.forEach((_, k) =>
      (got[k] as Float32Array).forEach((v, i) => {
        const vals = seq.map((p) => (p[k] as Float64Array)[i] as number);
        const mean = vals.reduce((a, b) => a + b, 0) / 3;
        expect(Math.abs(v - mean)).toBeLessThan(1e-3 * Math.max(...vals.map(Math.abs)) + 1e-6);
      }),
    );
  });

  it('copies the first iterate bit for bit and leaks no tensors per update', () => {
    const seq = sequence(5, 13);
    const first = seq[0]?.map((p, k) => tf.tensor(Float32Array.from(p), shapes[k] as number[])) as tf.Tensor[];
    const avg = new ParamAverage(first);
    const before = tf.memory().numTensors;
    avg.update(first, 0.999, 1);
    expect(avg.vars.map((v) => Array.from(v.dataSync()))).toEqual(first.map((p) => Array.from(p.dataSync())));
    for (let t = 2; t <= 5; t++) {
      const ts = (seq[t - 1] as Float64Array[]).map((p, k) => tf.tensor(Float32Array.from(p), shapes[k] as number[]));
      avg.update(ts, 0.999, t);
      tf.dispose(ts);
    }
    expect(tf.memory().numTensors).toBe(before);
    avg.dispose();
    tf.dispose(first);
  });
});
