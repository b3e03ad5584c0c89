import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { LocalStore } from '../store/local-store.js';
import { tempDir } from '../testing/temp-dir.js';
import { loadWeights, saveWeights, type NamedWeight } from './weights.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const r = lcg(3);
const rand = (n: number) => Float32Array.from({ length: n }, () => (r() - 0.5) * 10);
const weights: NamedWeight[] = [
  { name: 'dense_0/kernel', shape: [5, 3], values: rand(15) },
  { name: 'dense_0/bias', shape: [3], values: rand(3) },
  { name: 'scalar', shape: [], values: new Float32Array([Math.fround(Math.PI)]) },
  { name: 'empty', shape: [0, 4], values: new Float32Array(0) },
  { name: 'head/kernel', shape: [3, 2], values: new Float32Array([NaN, -0, 3.4028234663852886e38, 1e-45, -1, 1]) },
];

describe('model weights (TensorFlow.js format)', () => {
  it('round-trips names, shapes, exact values and metadata', async () => {
    const dir = await tempDir('io-weights');
    try {
      const store = new LocalStore(dir.path);
      await saveWeights(store, 'runs/r/models/tsm/teacher/', weights, { spec: { hidden: [128, 64] }, epoch: 7 });
      const back = await loadWeights(store, 'runs/r/models/tsm/teacher/');
      expect(back.metadata).toEqual({ spec: { hidden: [128, 64] }, epoch: 7 });
      expect(back.weights.map((w) => [w.name, w.shape])).toEqual(weights.map((w) => [w.name, w.shape]));
      for (let k = 0; k < weights.length; k++)
        expect(Buffer.from(back.weights[k]!.values.buffer).equals(Buffer.from(weights[k]!.values.buffer))).toBe(true);
      const json = await store.getJson<Record<string, unknown>>('runs/r/models/tsm/teacher/model.json');
      expect(json.format).toBe('bidfcl-weights');
      expect(json.generatedBy).toBe('@bidfcl/io');
      expect(json.weightsManifest).toEqual([
        { paths: ['weights.bin'], weights: weights.map((w) => ({ name: w.name, shape: w.shape, dtype: 'float32' })) },
      ]);
    } finally {
      await dir.cleanup();
    }
  });

  it('writes bytes that tf.io.decodeWeights reads back to the same tensors', async () => {
    const dir = await tempDir('io-weights-tf');
    try {
      const store = new LocalStore(dir.path);
      await saveWeights(store, 'm/', weights, {});
      const json = await store.getJson<{ weightsManifest: tf.io.WeightsManifestConfig }>('m/model.json');
      const bin = await store.get('m/weights.bin');
      const specs = json.weightsManifest.flatMap((g) => g.weights);
      const ab = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
      const decoded = tf.io.decodeWeights(ab, specs);
      for (const w of weights) {
        const t = decoded[w.name]!;
        expect(t.shape).toEqual(w.shape);
        expect(t.dtype).toBe('float32');
        const values = t.dataSync() as Float32Array;
        expect(
          Buffer.from(values.buffer, values.byteOffset, values.byteLength).equals(Buffer.from(w.values.buffer)),
        ).toBe(true);
      }
      tf.dispose(Object.values(decoded));
    } finally {
      await dir.cleanup();
    }
  });

  it('rejects inconsistent weights and truncated weight files', async () => {
    const dir = await tempDir('io-weights-bad');
    try {
      const store = new LocalStore(dir.path);
      await expect(
        saveWeights(store, 'a/', [{ name: 'w', shape: [2, 2], values: new Float32Array(3) }], {}),
      ).rejects.toThrow(/'w' has 3 values but shape \[2,2\] needs 4/);
      await expect(saveWeights(store, 'a/', [weights[1]!, weights[1]!], {})).rejects.toThrow(
        /duplicate weight name 'dense_0\/bias'/,
      );
      await saveWeights(store, 'b/', weights, {});
      await store.put('b/weights.bin', (await store.get('b/weights.bin')).subarray(0, 40));
      await expect(loadWeights(store, 'b/')).rejects.toThrow(
        /describes 100 bytes of weights but the weight files \(weights\.bin\) hold 40/,
      );
    } finally {
      await dir.cleanup();
    }
  });
});
