/** Sufficient statistics of one staging part; merged across parts by the finalize job. */
export interface PartStats {
  rows: number;
  armCounts: number[];
  numeric: Record<string, { sum: number; sumSq: number }>;
  categorical: Record<string, Record<string, number>>;
  revenue: { sum: number; sumSq: number };
  cost: { sum: number; sumSq: number };
}

const moments = (v: ArrayLike<number>) => {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    sum += x;
    sumSq += x * x;
  }
  return { sum, sumSq };
};

export interface StagedColumns {
  n: number;
  m: number;
  numeric: Record<string, Float64Array>;
  categorical: Record<string, string[]>;
  arm: Int32Array;
  revenue: Float64Array;
  cost: Float64Array;
}

export function partStats(p: StagedColumns): PartStats {
  const armCounts = new Array<number>(p.m).fill(0);
  for (let i = 0; i < p.n; i++) armCounts[p.arm[i]!]! += 1;
  const categorical: PartStats['categorical'] = {};
  for (const [name, values] of Object.entries(p.categorical)) {
    const counts: Record<string, number> = {};
    for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
    categorical[name] = counts;
  }
  return {
    rows: p.n,
    armCounts,
    numeric: Object.fromEntries(Object.entries(p.numeric).map(([k, v]) => [k, moments(v)])),
    categorical,
    revenue: moments(p.revenue),
    cost: moments(p.cost),
  };
}

const addMoments = (a: { sum: number; sumSq: number }, b: { sum: number; sumSq: number }) => ({ sum: a.sum + b.sum, sumSq: a.sumSq + b.sumSq });

export function mergeStats(parts: PartStats[], m: number): PartStats {
  const out: PartStats = { rows: 0, armCounts: new Array<number>(m).fill(0), numeric: {}, categorical: {}, revenue: { sum: 0, sumSq: 0 }, cost: { sum: 0, sumSq: 0 } };
  for (const p of parts) {
    out.rows += p.rows;
    p.armCounts.forEach((c, j) => (out.armCounts[j]! += c));
    for (const [k, v] of Object.entries(p.numeric)) out.numeric[k] = addMoments(out.numeric[k] ?? { sum: 0, sumSq: 0 }, v);
    for (const [k, counts] of Object.entries(p.categorical)) {
      const acc = (out.categorical[k] ??= {});
      for (const [value, c] of Object.entries(counts)) acc[value] = (acc[value] ?? 0) + c;
    }
    out.revenue = addMoments(out.revenue, p.revenue);
    out.cost = addMoments(out.cost, p.cost);
  }
  return out;
}

/** Population standard deviation from moments; a constant column gets 1 so that standardising is a no-op. */
export function stdOf(mo: { sum: number; sumSq: number }, n: number): number {
  if (n < 2) return 1;
  const mean = mo.sum / n;
  const v = Math.max(0, mo.sumSq / n - mean * mean);
  const sd = Math.sqrt(v);
  return sd > 1e-12 ? sd : 1;
}
