import * as arrow from 'apache-arrow';

/**
 * String columns without a per-value round trip through TextEncoder/TextDecoder. Arrow's builder encodes every
 * string on its own and `Vector.get` decodes every one on its own: for the 500k user ids of a population shard
 * that was the largest cost of writing and reading its Parquet files, and most of its garbage (issue 9 §4). Here a
 * column is encoded or decoded in one call; when it is all ASCII (user ids, arm names, almost always), byte and
 * character offsets coincide and the strings are slices of one decoded string.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Arrow's Utf8 offsets are int32: one chunk holds less than 2 GiB of text. */
const MAX_BYTES = 2 ** 31 - 1;

/** A non-null Utf8 vector of `values`, byte for byte what Arrow's builder makes (UTF-8, lone surrogates → U+FFFD). */
export function utf8Vector(values: readonly string[]): arrow.Vector<arrow.Utf8> {
  const n = values.length;
  const joined = values.join('');
  const offsets = new Int32Array(n + 1);
  let bytes: Uint8Array;
  // UTF-8 takes one byte per UTF-16 unit exactly when every unit is ASCII; otherwise more bytes than units.
  const ascii = encoder.encode(joined);
  if (ascii.length === joined.length) {
    bytes = ascii;
    let at = 0;
    for (let i = 0; i < n; i++) offsets[i + 1] = at += values[i]!.length;
  } else {
    // Sized per UTF-16 unit (3 bytes at most each), not by the joined text's encoding: a surrogate pair split across
    // two strings is one 4-byte character in the join but two 3-byte U+FFFD when each string is encoded alone.
    const buffer = new Uint8Array(3 * joined.length);
    let at = 0;
    for (let i = 0; i < n; i++) {
      at += encoder.encodeInto(values[i]!, buffer.subarray(at)).written;
      offsets[i + 1] = at;
    }
    bytes = buffer.subarray(0, at);
  }
  if (bytes.length > MAX_BYTES) throw new Error(`utf8Vector: ${bytes.length} bytes of text exceed one Arrow chunk`);
  const data = arrow.makeData({ type: new arrow.Utf8(), length: n, nullCount: 0, valueOffsets: offsets, data: bytes });
  return new arrow.Vector([data]);
}

/**
 * The strings of a Utf8 vector into `out` from position `at` (nulls → ''), decoding each chunk once. Returns false,
 * writing nothing, when the vector is not plain Utf8 (the caller then reads value by value).
 */
export function readUtf8Into(vec: arrow.Vector, out: string[], at: number): boolean {
  if (!arrow.DataType.isUtf8(vec.type)) return false;
  for (const data of vec.data as arrow.Data<arrow.Utf8>[]) {
    // A sliced chunk's offsets are already sliced (its values are not): index them from 0.
    const offsets = data.valueOffsets;
    const first = offsets[0]!;
    const last = offsets[data.length]!;
    const bytes = data.values.subarray(first, last);
    const ascii = isAscii(bytes);
    const text = ascii ? decoder.decode(bytes) : '';
    for (let i = 0; i < data.length; i++, at++) {
      if (data.nullCount > 0 && !data.getValid(i)) out[at] = '';
      else if (ascii) out[at] = text.slice(offsets[i]! - first, offsets[i + 1]! - first);
      else out[at] = decoder.decode(data.values.subarray(offsets[i]!, offsets[i + 1]!));
    }
  }
  return true;
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! > 0x7f) return false;
  return true;
}
