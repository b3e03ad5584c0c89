import type { ScoreMatrix } from '@bidfcl/contracts';

/**
 * The direct model of doubly robust validation (docs/method.md §4): one ridge regression per arm of revenue and of
 * cost on the features, fitted on RCT training rows. Linear on purpose: it is fitted once per training, never on
 * the rows it helps evaluate, and shared by every epoch and method, so that their estimates differ by their
 * decisions rather than by their direct models; a linear model already takes out the part of the outcomes' variance
 * that the features explain linearly, which is what DR needs of it.
 */
export interface ArmRidge {
  d: number;
  m: number;
  /** Per arm, intercept then d slopes: (d + 1) numbers each, for revenue and for cost. */
  revenue: Float64Array;
  cost: Float64Array;
}

/** At most this many rows (evenly spaced) enter the fit: its cost is rows × d², and more rows add little. */
export const RIDGE_MAX_ROWS = 50_000;

/**
 * Fits {@link ArmRidge} by the normal equations (XᵀX + αI) β = Xᵀy per arm, X with a leading column of ones whose
 * coefficient is penalised only by 1e-9 (an arm without rows then predicts 0, not NaN). x is row-major n × d.
 */
export function fitArmRidge(
  x: ArrayLike<number>,
  d: number,
  arm: ArrayLike<number>,
  revenue: ArrayLike<number>,
  cost: ArrayLike<number>,
  m: number,
  alpha = 1,
): ArmRidge {
  const n = arm.length;
  const k = d + 1;
  const step = Math.max(1, Math.ceil(n / RIDGE_MAX_ROWS));
  const gram = Array.from({ length: m }, () => new Float64Array(k * k));
  const xyR = Array.from({ length: m }, () => new Float64Array(k));
  const xyC = Array.from({ length: m }, () => new Float64Array(k));
  const row = new Float64Array(k);
  for (let i = 0; i < n; i += step) {
    const j = arm[i]!;
    row[0] = 1;
    for (let f = 0; f < d; f++) row[f + 1] = x[i * d + f]!;
    const g = gram[j]!;
    const yr = xyR[j]!;
    const yc = xyC[j]!;
    for (let a = 0; a < k; a++) {
      const ra = row[a]!;
      if (ra === 0) continue;
      for (let b = a; b < k; b++) g[a * k + b]! += ra * row[b]!;
      yr[a]! += ra * revenue[i]!;
      yc[a]! += ra * cost[i]!;
    }
  }
  const out = { d, m, revenue: new Float64Array(m * k), cost: new Float64Array(m * k) };
  for (let j = 0; j < m; j++) {
    const g = gram[j]!;
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < a; b++) g[a * k + b] = g[b * k + a]!;
      g[a * k + a]! += a === 0 ? 1e-9 : alpha;
    }
    const chol = cholesky(g, k);
    out.revenue.set(cholSolve(chol, k, xyR[j]!), j * k);
    out.cost.set(cholSolve(chol, k, xyC[j]!), j * k);
  }
  return out;
}

/** The model's means for n rows of x (row-major n × d), as a score matrix (revenue, cost per user and arm). */
export function predictArmRidge(model: ArmRidge, x: ArrayLike<number>, n: number): ScoreMatrix {
  const { d, m } = model;
  const k = d + 1;
  const r = new Float64Array(n * m);
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let vr = model.revenue[j * k]!;
      let vc = model.cost[j * k]!;
      for (let f = 0; f < d; f++) {
        const v = x[i * d + f]!;
        vr += model.revenue[j * k + f + 1]! * v;
        vc += model.cost[j * k + f + 1]! * v;
      }
      r[i * m + j] = vr;
      c[i * m + j] = vc;
    }
  return { n, m, r, c };
}

/** Lower-triangular L with L Lᵀ = A (A symmetric positive definite, k × k row-major). */
function cholesky(a: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j <= i; j++) {
      let s = a[i * k + j]!;
      for (let p = 0; p < j; p++) s -= l[i * k + p]! * l[j * k + p]!;
      if (i === j) {
        if (!(s > 0)) throw new Error(`ridge normal equations are not positive definite (pivot ${s} at ${i})`);
        l[i * k + i] = Math.sqrt(s);
      } else l[i * k + j] = s / l[j * k + j]!;
    }
  return l;
}

/** Solves L Lᵀ β = y. */
function cholSolve(l: Float64Array, k: number, y: Float64Array): Float64Array {
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = y[i]!;
    for (let p = 0; p < i; p++) s -= l[i * k + p]! * z[p]!;
    z[i] = s / l[i * k + i]!;
  }
  const b = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let p = i + 1; p < k; p++) s -= l[p * k + i]! * b[p]!;
    b[i] = s / l[i * k + i]!;
  }
  return b;
}
