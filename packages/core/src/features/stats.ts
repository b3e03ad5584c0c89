import type { StagedPart } from '@bidfcl/contracts';

/** Sum and sum of squares of a column: enough to merge means and variances across parts. */
export interface Moments {
  sum: number;
  sumSq: number;
}

/** Sufficient statistics of one staged part; parts are merged with {@link mergeStats}. */
export interface PartStats {
  rows: number;
  armCounts: number[];
  numeric: Record<string, Moments>;
  /** Count of each value of each categorical column. */
  categorical: Record<string, Record<string, number>>;
  revenue: Moments;
  cost: Moments;
}

const moments = (v: ArrayLike<number>): Moments => {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    sum += x;
    sumSq += x * x;
  }
  return { sum, sumSq };
};

const addMoments = (a: Moments, b: Moments): Moments => ({ sum: a.sum + b.sum, sumSq: a.sumSq + b.sumSq });

const emptyMoments = (): Moments => ({ sum: 0, sumSq: 0 });

/** The statistics of one staged part: row and arm counts, moments of every numeric column, value counts. */
export function partStats(p: StagedPart): PartStats {
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

/** The statistics of the concatenation of parts with `m` arms (summed in the order given). */
export function mergeStats(parts: PartStats[], m: number): PartStats {
  const out: PartStats = {
    rows: 0,
    armCounts: new Array<number>(m).fill(0),
    numeric: {},
    categorical: {},
    revenue: emptyMoments(),
    cost: emptyMoments(),
  };
  for (const p of parts) {
    out.rows += p.rows;
    p.armCounts.forEach((c, j) => (out.armCounts[j]! += c));
    for (const [k, v] of Object.entries(p.numeric)) out.numeric[k] = addMoments(out.numeric[k] ?? emptyMoments(), v);
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
export function stdOf(mo: Moments, n: number): number {
  if (n < 2) return 1;
  const mean = mo.sum / n;
  const v = Math.max(0, mo.sumSq / n - mean * mean);
  const sd = Math.sqrt(v);
  return sd > 1e-12 ? sd : 1;
}
