import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { flatOf, tensorsFromFlat } from './tensor-closures.js';

describe('flatOf', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('reads the returned tensors in order into one vector and frees inputs, intermediates and outputs', () => {
    const shapes = [[2, 2], [3]] as const;
    const flat = Float32Array.from([1, 2, 3, 4, 0.5, -1, 1e-3]);
    const before = tf.memory().numTensors;
    const out = flatOf(() => {
      const [a, b] = tensorsFromFlat(flat, shapes) as [tf.Tensor, tf.Tensor];
      return [tf.mul(b, 3), tf.add(a, 1)];
    });
    expect(tf.memory().numTensors).toBe(before);
    // float32 products, as the tensors hold them: b·3 first, then a + 1.
    expect(Array.from(out)).toEqual([Math.fround(1.5), -3, Math.fround(Math.fround(1e-3) * 3), 2, 3, 4, 5]);
  });

  it('frees everything when f throws', () => {
    const before = tf.memory().numTensors;
    expect(() =>
      flatOf(() => {
        tensorsFromFlat(Float32Array.from([1, 2]), [[2]]);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(tf.memory().numTensors).toBe(before);
  });
});
