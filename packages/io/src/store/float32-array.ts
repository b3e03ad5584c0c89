import type { ArtefactStore } from './artefact-store.js';

/**
 * Writes a Float32Array as its raw bytes (platform byte order; the reader is this module on the same kind of
 * machine). Only the array's own view is written, not the rest of a larger buffer it may share.
 */
export async function putFloat32Array(store: ArtefactStore, key: string, array: Float32Array): Promise<void> {
  await store.put(key, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
}

/**
 * Reads an array written by {@link putFloat32Array} into a fresh, aligned buffer (the bytes a store returns may
 * be an unaligned view into a larger one). With `expectedLength`, an array of any other length is an error.
 */
export async function getFloat32Array(
  store: ArtefactStore,
  key: string,
  expectedLength?: number,
): Promise<Float32Array> {
  const bytes = await store.get(key);
  if (bytes.byteLength % 4 !== 0)
    throw new Error(`${store.describe(key)} holds ${bytes.byteLength} bytes, not a float32 array`);
  const array = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  if (expectedLength !== undefined && array.length !== expectedLength) {
    throw new Error(`${store.describe(key)} holds ${array.length} float32 values, expected ${expectedLength}`);
  }
  return array;
}
