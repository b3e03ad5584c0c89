import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { initMlp, paramNames, paramShapes, type MlpSpec } from './mlp.js';
import {
  arraysToParams,
  countParams,
  flattenParams,
  flattenTensors,
  ParamSet,
  paramsToArrays,
  unflattenParams,
  unflattenTensor,
} from './params.js';

beforeAll(async () => {
  await initBackend();
});

const spec: MlpSpec = { inputDim: 5, hidden: [7, 3], outputDim: 4, outputActivation: 'softplus' };

describe('MLP parameters', () => {
  it('initMlp is deterministic in the seed and has the documented shapes and scales', () => {
    const a = flattenParams(initMlp(spec, 42));
    const b = flattenParams(initMlp(spec, 42));
    const c = flattenParams(initMlp(spec, 43));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(paramShapes(spec)).toEqual([[5, 7], [7], [7, 3], [3], [3, 4], [4]]);
    expect(paramNames(spec)).toEqual([
      'dense0/kernel',
      'dense0/bias',
      'dense1/kernel',
      'dense1/bias',
      'dense2/kernel',
      'dense2/bias',
    ]);
    expect(a.length).toBe(countParams(paramShapes(spec)));
  });

  it('He initialisation: kernel variance ≈ 2/fan_in (large layer, 3 standard errors)', () => {
    const big: MlpSpec = { inputDim: 200, hidden: [300], outputDim: 2, outputActivation: 'linear' };
    const [k0] = initMlp(big, 7);
    const v = (k0 as tf.Tensor).dataSync();
    let s2 = 0;
    for (const x of v) s2 += x * x;
    const variance = s2 / v.length;
    // Var of the sample variance of n normals: 2σ⁴/n.
    const se = Math.sqrt(2 / v.length) * (2 / 200);
    expect(Math.abs(variance - 2 / 200)).toBeLessThan(3 * se);
  });

  it('flatten/unflatten and arrays round-trip exactly, on host and on backend', () => {
    const params = initMlp(spec, 3);
    const flat = flattenParams(params);
    const back = unflattenParams(flat, paramShapes(spec));
    expect(Array.from(flattenParams(back))).toEqual(Array.from(flat));
    const dev = flattenTensors(params);
    expect(Array.from(dev.dataSync())).toEqual(Array.from(flat));
    const back2 = unflattenTensor(dev, paramShapes(spec));
    expect(back2.map((t) => t.shape)).toEqual(paramShapes(spec));
    expect(Array.from(flattenParams(back2))).toEqual(Array.from(flat));
    const arrays = paramsToArrays(params, paramNames(spec));
    // Order by name, not by position.
    const shuffled = [...arrays].reverse();
    const loaded = arraysToParams(shuffled, paramNames(spec));
    expect(Array.from(flattenParams(loaded))).toEqual(Array.from(flat));
    expect(() => unflattenParams(flat.subarray(1), paramShapes(spec))).toThrow(/values/);
    expect(() => arraysToParams(arrays.slice(1), paramNames(spec))).toThrow(/dense0\/kernel/);
    [...params, ...back, dev, ...back2, ...loaded].forEach((t) => t.dispose());
  });

  it('ParamSet holds independent variables and snapshots', () => {
    const params = initMlp(spec, 9);
    const before = tf.memory().numTensors;
    const set = new ParamSet(params);
    const snap = set.snapshot();
    const zeros = params.map((p) => tf.zerosLike(p));
    set.assign(zeros);
    zeros.forEach((z) => z.dispose());
    expect(flattenParams(set.vars).every((v) => v === 0)).toBe(true);
    expect(Array.from(flattenParams(snap))).toEqual(Array.from(flattenParams(params)));
    snap.forEach((t) => t.dispose());
    set.dispose();
    expect(tf.memory().numTensors).toBe(before);
    params.forEach((p) => p.dispose());
  });
});
