/**
 * Small dense-vector helpers for the bi-level numerics. Vectors hold ~10⁴–10⁵ parameters, so plain
 * loops in Float64 on the CPU are cheaper than a round trip through a tensor backend (measured: a CG
 * iteration's vector work is ~0.1 ms, one finite-difference HVP is ≥ 10 ms).
 */

/** A flat parameter-sized vector. Parameters travel as Float32 (tensor precision), CG works in Float64. */
export type Vec = Float32Array | Float64Array;

/** Σ a_i b_i, accumulated in double precision. */
export function dot(a: Vec, b: Vec): number {
  if (a.length !== b.length) throw new Error(`dot: length mismatch ${a.length} vs ${b.length}`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** Euclidean norm ‖a‖. */
export function norm(a: Vec): number {
  return Math.sqrt(dot(a, a));
}

/** out = x + s·d as a new Float32Array (a perturbed parameter vector for a tensor closure). */
export function addScaledF32(x: Vec, s: number, d: Vec): Float32Array {
  if (x.length !== d.length) throw new Error(`addScaled: length mismatch ${x.length} vs ${d.length}`);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] as number) + s * (d[i] as number);
  return out;
}

/** (a − b)·s as a new Float64Array. */
export function scaledDifference(a: Vec, b: Vec, s: number): Float64Array {
  if (a.length !== b.length) throw new Error(`difference: length mismatch ${a.length} vs ${b.length}`);
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = ((a[i] as number) - (b[i] as number)) * s;
  return out;
}
