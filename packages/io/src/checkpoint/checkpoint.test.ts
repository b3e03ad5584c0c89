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

  test('a crash while saving leaves the previous checkpoint or the new one, never a mixture (issue 13)', async () => {
    const dir = await tempDir('ckpt-crash');
    try {
      const prefix = 'runs/r/models/m/checkpoints/';
      const store = new LocalStore(dir.path);
      const epoch = (n: number) => ({ epoch: n, theta: Float32Array.from([n, n + 0.5]), history: [n] });
      await saveCheckpoint(store, prefix, epoch(3));
      // The process dies after its first write of the next checkpoint: every later put is lost.
      let puts = 0;
      const dying = Object.create(store) as LocalStore;
      dying.put = async (key, body) => {
        if (++puts > 1) throw new Error('killed');
        return store.put(key, body);
      };
      await saveCheckpoint(dying, prefix, epoch(4)).catch(() => undefined);
      const back = await loadCheckpoint<ReturnType<typeof epoch>>(store, prefix);
      expect([epoch(3), epoch(4)]).toContainEqual(back);
    } finally {
      await dir.cleanup();
    }
  });

  test('reads a checkpoint written in the two-object layout of earlier versions', async () => {
    const dir = await tempDir('ckpt-legacy');
    try {
      const store = new LocalStore(dir.path);
      const { json, blob } = encodeCheckpoint({ epoch: 2, w: Float64Array.from([1, 2]) });
      await store.put('p/state.bin', blob);
      await store.put('p/state.json', json);
      expect(await loadCheckpoint(store, 'p/')).toEqual({ epoch: 2, w: Float64Array.from([1, 2]) });
    } finally {
      await dir.cleanup();
    }
  });
});
