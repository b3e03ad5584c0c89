import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/** Backends this package knows how to start. */
export type BackendPreference = 'wasm' | 'cpu';

let started: Promise<string> | undefined;

/**
 * Starts the TensorFlow.js backend once per process and returns its name.
 *
 * wasm (SIMD) is the default: ~5× faster than the pure-JS cpu backend for this package's MLPs and it gives
 * bit-identical results run to run (single-threaded). A later call with a different preference does not
 * switch: one process trains with one backend, so results never mix backends.
 */
export function initBackend(preference: BackendPreference = 'wasm'): Promise<string> {
  started ??= (async () => {
    const ok = await tf.setBackend(preference);
    if (!ok) throw new Error(`TensorFlow.js backend '${preference}' failed to initialise (allowed: wasm, cpu)`);
    await tf.ready();
    return tf.getBackend();
  })();
  return started;
}
