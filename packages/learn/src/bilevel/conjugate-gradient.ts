import { dot, norm, type Vec } from './vector-ops.js';

/** Options of {@link conjugateGradient}. */
export interface CgOptions {
  /** Maximum number of CG iterations (matrix-vector products). */
  maxIter: number;
  /** Relative tolerance: stop once ‖r‖ ≤ tol·‖b‖. */
  tol: number;
  /** δ ≥ 0: solve (A + δI) x = b. */
  damping?: number;
}

/** Result of {@link conjugateGradient}. */
export interface CgResult {
  x: Float64Array;
  /** Iterations that updated x. */
  iterations: number;
  /** Calls of applyA (one more than `iterations` when a negative-curvature direction was met). */
  products: number;
  /** ‖r‖ of the returned iterate (the recursively updated residual, b − (A+δI)x in exact arithmetic). */
  residualNorm: number;
  /** True when CG stopped at a direction p with pᵀ(A+δI)p ≤ 0 (the iterate before it is returned). */
  negativeCurvature: boolean;
}

/**
 * Conjugate gradient for (A + δI) x = b with A given only as a product, starting at x = 0.
 * A network Hessian is not positive definite, so CG stops at the first direction of non-positive
 * curvature and returns the iterate so far (docs/method.md §3.5) instead of stepping to a saddle; when that
 * happens on the very first direction the returned x is 0 (no hypergradient signal this round).
 */
export function conjugateGradient(applyA: (v: Float64Array) => Vec, b: Vec, opts: CgOptions): CgResult {
  const n = b.length;
  const damping = opts.damping ?? 0;
  if (!(opts.maxIter >= 0) || !(opts.tol > 0) || !(damping >= 0)) {
    throw new Error(
      `conjugateGradient: need maxIter ≥ 0, tol > 0, damping ≥ 0 (got ${opts.maxIter}, ${opts.tol}, ${damping})`,
    );
  }
  const x = new Float64Array(n);
  const r = Float64Array.from(b);
  const p = Float64Array.from(b);
  let rs = dot(r, r);
  const stop = opts.tol * norm(b);
  let iterations = 0;
  let products = 0;
  let negativeCurvature = false;
  while (iterations < opts.maxIter && Math.sqrt(rs) > stop) {
    const ap = applyA(p);
    products++;
    if (ap.length !== n) throw new Error(`conjugateGradient: applyA returned length ${ap.length}, expected ${n}`);
    let pAp = 0;
    for (let i = 0; i < n; i++) pAp += (p[i] as number) * ((ap[i] as number) + damping * (p[i] as number));
    if (!(pAp > 0)) {
      // NaN also lands here: a broken product must not poison x.
      negativeCurvature = true;
      break;
    }
    const alpha = rs / pAp;
    for (let i = 0; i < n; i++) {
      const pi = p[i] as number;
      x[i] = (x[i] as number) + alpha * pi;
      r[i] = (r[i] as number) - alpha * ((ap[i] as number) + damping * pi);
    }
    iterations++;
    const rsNew = dot(r, r);
    const beta = rsNew / rs;
    rs = rsNew;
    for (let i = 0; i < n; i++) p[i] = (r[i] as number) + beta * (p[i] as number);
  }
  return { x, iterations, products, residualNorm: Math.sqrt(rs), negativeCurvature };
}
