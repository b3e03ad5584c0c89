import type { StagedPart } from '@bidfcl/contracts';

/** Rows of `p` where `keep[i]` is non-zero, in order, as a new part. */
export function selectRows(p: StagedPart, keep: Uint8Array): StagedPart {
  const idx: number[] = [];
  for (let i = 0; i < p.n; i++) if (keep[i]) idx.push(i);
  const n = idx.length;
  const pick = (v: Float64Array) => Float64Array.from(idx, (i) => v[i]!);
  const pickM = (v: Float64Array) => {
    const out = new Float64Array(n * p.m);
    idx.forEach((i, r) => out.set(v.subarray(i * p.m, (i + 1) * p.m), r * p.m));
    return out;
  };
  const out: StagedPart = {
    n,
    m: p.m,
    numeric: Object.fromEntries(Object.entries(p.numeric).map(([k, v]) => [k, pick(v)])),
    categorical: Object.fromEntries(Object.entries(p.categorical).map(([k, v]) => [k, idx.map((i) => v[i]!)])),
    arm: Int32Array.from(idx, (i) => p.arm[i]!),
    revenue: pick(p.revenue),
    cost: pick(p.cost),
  };
  if (p.userId) out.userId = idx.map((i) => p.userId![i]!);
  if (p.trueRevenue) out.trueRevenue = pickM(p.trueRevenue);
  if (p.trueCost) out.trueCost = pickM(p.trueCost);
  return out;
}

/**
 * Rows [start, end) of `p`, as a new part; the whole range returns `p` itself. Lets a large input be written
 * as shards that downstream readers can stream.
 */
export function rowRange(p: StagedPart, start: number, end: number): StagedPart {
  if (start === 0 && end === p.n) return p;
  return selectRows(
    p,
    Uint8Array.from({ length: p.n }, (_, i) => (i >= start && i < end ? 1 : 0)),
  );
}
