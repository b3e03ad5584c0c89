import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';

describe('initBackend', () => {
  it('starts wasm by default, once per process', async () => {
    expect(await initBackend()).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    // A second call (even with another preference) returns the running backend instead of switching.
    expect(await initBackend('cpu')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });
});
