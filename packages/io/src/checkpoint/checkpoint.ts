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

const MAGIC = 'BIDFCLC1';
const HEADER = MAGIC.length + 4; // magic, then the JSON's byte length (uint32, little-endian)

/** One object: magic, JSON length, JSON, padding to 8 bytes, blob. */
function packCheckpoint(json: string, blob: Uint8Array): Uint8Array {
  const text = new TextEncoder().encode(json);
  const blobAt = HEADER + text.length + ((8 - ((HEADER + text.length) % 8)) % 8);
  const out = new Uint8Array(blobAt + blob.length);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, text.length, true);
  out.set(text, HEADER);
  out.set(blob, blobAt);
  return out;
}

function unpackCheckpoint<T>(bytes: Uint8Array, where: string): T {
  const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
  if (bytes.length < HEADER || magic !== MAGIC) throw new Error(`${where} is not a bidfcl checkpoint`);
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length, true);
  const json = new TextDecoder().decode(bytes.subarray(HEADER, HEADER + length));
  const blobAt = HEADER + length + ((8 - ((HEADER + length) % 8)) % 8);
  return decodeCheckpoint<T>(json, bytes.subarray(blobAt));
}

/**
 * Writes the checkpoint as ONE object, `<prefix>checkpoint.bin`: a single put is atomic in every store (S3, and
 * LocalStore's temp file + rename), so a reader sees the previous checkpoint or this one, never a mixture.
 * (It was two objects, the arrays then the JSON that indexes them: a trainer killed between the two puts left the
 * next epoch's parameters under the previous epoch's bookkeeping, and its retry resumed from that mixture — the
 * fault suite's intermittent "metrics differ" after kill -9, issue 13.)
 */
export async function saveCheckpoint(store: ArtefactStore, prefix: string, state: unknown): Promise<void> {
  const { json, blob } = encodeCheckpoint(state);
  await store.put(`${prefix}checkpoint.bin`, packCheckpoint(json, blob));
}

/**
 * The checkpoint under `prefix`, or undefined when none was written. Reads the two-object layout of earlier
 * versions (`state.json` + `state.bin`) when there is no `checkpoint.bin`, so a job retried across an upgrade
 * still resumes.
 */
export async function loadCheckpoint<T>(store: ArtefactStore, prefix: string): Promise<T | undefined> {
  try {
    return unpackCheckpoint<T>(await store.get(`${prefix}checkpoint.bin`), store.describe(`${prefix}checkpoint.bin`));
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
  let json: string;
  try {
    json = await store.getText(`${prefix}state.json`);
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
  return decodeCheckpoint<T>(json, await store.get(`${prefix}state.bin`));
}
