import type { ShardHulls } from './shard-scan.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HEADER = 8; // n and m as little-endian uint32

/**
 * A shard's kept hulls as bytes (n, m, then bins as little-endian uint16, sizes, arms): what the scan job stages
 * so that the fine round and the assignment read the hulls instead of computing them again (docs/method.md §7).
 * 3·m + 1 bytes per user.
 */
export function encodeShardHulls(h: ShardHulls): Uint8Array {
  if (!LITTLE_ENDIAN) throw new Error('encodeShardHulls: a little-endian host is required');
  const { n, m } = h;
  const out = new Uint8Array(HEADER + 3 * n * m + n);
  const view = new DataView(out.buffer);
  view.setUint32(0, n, true);
  view.setUint32(4, m, true);
  out.set(new Uint8Array(h.bins.buffer, h.bins.byteOffset, 2 * n * m), HEADER);
  out.set(h.size.subarray(0, n), HEADER + 2 * n * m);
  out.set(h.arms.subarray(0, n * m), HEADER + 2 * n * m + n);
  return out;
}

/** The inverse of {@link encodeShardHulls}; `what` names the bytes in errors. */
export function decodeShardHulls(bytes: Uint8Array, what: string): ShardHulls {
  if (!LITTLE_ENDIAN) throw new Error('decodeShardHulls: a little-endian host is required');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.byteLength >= HEADER ? view.getUint32(0, true) : -1;
  const m = bytes.byteLength >= HEADER ? view.getUint32(4, true) : -1;
  if (!(n >= 0 && m >= 1 && bytes.byteLength === HEADER + 3 * n * m + n))
    throw new Error(`${what}: not a shard's hulls (${bytes.byteLength} bytes)`);
  const at = bytes.byteOffset + HEADER;
  return {
    n,
    m,
    bins: new Uint16Array(bytes.buffer.slice(at, at + 2 * n * m)),
    size: bytes.slice(HEADER + 2 * n * m, HEADER + 2 * n * m + n),
    arms: bytes.slice(HEADER + 2 * n * m + n),
  };
}
