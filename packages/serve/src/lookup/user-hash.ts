/**
 * A 64-bit key of a user id as two independent 32-bit hashes of its UTF-16 code units (FNV-1a and a
 * multiply-xorshift mix), written to `out[0]` (high) and `out[1]` (low). 64 bits: among 10 million ids a
 * collision exists with probability ≈ n²/2^65 ≈ 3·10⁻⁶ (the index detects it and keeps the ids), and an id that is
 * not in the allocation matches a stored key with probability n/2^64 ≈ 5·10⁻¹³ per request (docs/serving.md).
 */
export function userKey(id: string, out: Uint32Array): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < id.length; i++) {
    const u = id.charCodeAt(i);
    a = Math.imul(a ^ u, 0x01000193);
    b = Math.imul(b ^ u, 0x5bd1e995);
    b ^= b >>> 15;
  }
  // Final avalanche so that ids differing in their last character differ in every bit of b.
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  b ^= b >>> 16;
  out[0] = a >>> 0;
  out[1] = (b ^ id.length) >>> 0;
}
