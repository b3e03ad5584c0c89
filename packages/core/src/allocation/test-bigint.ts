/** x · 2^1074 as a BigInt: every finite double is an integer multiple of 2^−1074 (exact references in tests). */
export function scaledBigInt(x: number): bigint {
  const f = new Float64Array([x]);
  const bits = new DataView(f.buffer).getBigUint64(0, true);
  const ex = Number((bits >> 52n) & 0x7ffn);
  const mant = bits & ((1n << 52n) - 1n);
  const mag = ex === 0 ? mant : (mant | (1n << 52n)) << BigInt(ex - 1);
  return bits >> 63n ? -mag : mag;
}
