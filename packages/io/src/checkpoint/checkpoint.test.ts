import { describe, expect, test } from 'vitest';
import { tempDir } from '../testing/index.js';
import { LocalStore } from '../store/local-store.js';
import { decodeCheckpoint, encodeCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint.js';

describe('checkpoint codec', () => {
  test('typed arrays, nested objects and non-finite numbers round-trip exactly', () => {
    const state = {
      epoch: 3,
      params: [{ name: 'dense0/kernel', shape: [2, 3], values: Float32Array.from([1.5, -2, 3e-8, 0, -0, 7]) }],
      adam: { m: [Float32Array.from([0.1])], t: 17, lr: 1e-3 },
      rng: Int32Array.from([1, -2, 2147483647]),
      flags: Uint8Array.from([1, 0, 255]),
      f64: Float64Array.from([Math.PI, -1e300]),
      best: null,
      score: -Infinity,
      nan: Number.NaN,
    };
    const { json, blob } = encodeCheckpoint(state);
    const back = decodeCheckpoint<typeof state>(json, blob);
    expect(back).toEqual(state);
    expect(back.params[0]!.values).toBeInstanceOf(Float32Array);
    expect(Object.is(back.params[0]!.values[4], -0)).toBe(true);
    expect(back.score).toBe(-Infinity);
    expect(Number.isNaN(back.nan)).toBe(true);
  });

  test('save then load through a store; absent checkpoint is undefined', async () => {
    const dir = await tempDir('ckpt');
    try {
      const store = new LocalStore(dir.path);
      expect(await loadCheckpoint(store, 'runs/r/models/m/checkpoints/state/')).toBeUndefined();
      await saveCheckpoint(store, 'runs/r/models/m/checkpoints/state/', { w: Float32Array.from([1, 2, 3]) });
      expect(await loadCheckpoint(store, 'runs/r/models/m/checkpoints/state/')).toEqual({
        w: Float32Array.from([1, 2, 3]),
      });
    } finally {
      await dir.cleanup();
    }
  });
});
