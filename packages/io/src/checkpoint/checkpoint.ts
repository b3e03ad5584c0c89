import type { ArtefactStore } from '../store/artefact-store.js';
import { NotFoundError } from '../store/artefact-store.js';

type Typed = Float32Array | Float64Array | Int32Array | Uint8Array;
const KINDS = { f32: Float32Array, f64: Float64Array, i32: Int32Array, u8: Uint8Array } as const;
type Kind = keyof typeof KINDS;
const kindOf = (a: Typed): Kind =>
  a instanceof Float32Array ? 'f32' : a instanceof Float64Array ? 'f64' : a instanceof Int32Array ? 'i32' : 'u8';

/**
 * Splits a plain object into JSON and one binary blob: every typed array becomes `{ $typed, offset, length }`
 * pointing into the blob. Training state (parameters, optimiser moments) round-trips exactly and compactly.
 */
export function encodeCheckpoint(state: unknown): { json: string; blob: Uint8Array } {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const walk = (v: unknown): unknown => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const a = v as Typed;
      const kind = kindOf(a);
      const pad = (8 - (offset % 8)) % 8; // keep every array aligned for a zero-copy view on load
      if (pad) chunks.push(new Uint8Array(pad));
      offset += pad;
      const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
      chunks.push(bytes);
      const ref = { $typed: kind, offset, length: a.length };
      offset += bytes.length;
      return ref;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    if (typeof v === 'number' && !Number.isFinite(v)) return { $number: String(v) };
    return v;
  };
  const json = JSON.stringify(walk(state));
  const blob = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    blob.set(c, at);
    at += c.length;
  }
  return { json, blob };
}

export function decodeCheckpoint<T>(json: string, blob: Uint8Array): T {
  const buffer = new Uint8Array(blob).buffer; // a private, aligned copy
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.$typed === 'string' && o.$typed in KINDS) {
        const Ctor = KINDS[o.$typed as Kind];
        return new Ctor(buffer, o.offset as number, o.length as number).slice();
      }
      if (typeof o.$number === 'string' && Object.keys(o).length === 1) return Number(o.$number);
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(JSON.parse(json)) as T;
}

/** Writes `<prefix>state.bin` then `<prefix>state.json` (last: a reader never sees a half checkpoint). */
export async function saveCheckpoint(store: ArtefactStore, prefix: string, state: unknown): Promise<void> {
  const { json, blob } = encodeCheckpoint(state);
  await store.put(`${prefix}state.bin`, blob);
  await store.put(`${prefix}state.json`, json);
}

/** The checkpoint under `prefix`, or undefined when none was written. */
export async function loadCheckpoint<T>(store: ArtefactStore, prefix: string): Promise<T | undefined> {
  let json: string;
  try {
    json = await store.getText(`${prefix}state.json`);
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
  return decodeCheckpoint<T>(json, await store.get(`${prefix}state.bin`));
}
