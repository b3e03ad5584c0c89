import type { RctOutcomes } from '../allocation/ipw.js';

/**
 * Standard errors of IPW EOM (docs/method.md §4, "Uncertainty"). Every estimate here is a mean over the RCT test
 * rows of one number per row, its contribution: the standard error is the rows' standard deviation over √n, and
 * the difference of two methods on the same rows is the mean of their contributions' differences (paired, so
 * what both methods get right or wrong alike cancels). λ is held at its estimate: the error of the budget
 * search itself is not included.
 */

/** A mean with its standard error. */
export interface MeanSe {
  mean: number;
  se: number;
}

/** Contributions of the IPW revenue of fixed decisions: z_i = 1[t_i = d_i] · y_i / p_{t_i}; mean = the EOM. */
export function ipwRevenueContributions(decisions: Int32Array, rct: RctOutcomes): Float64Array {
  const n = rct.arm.length;
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = rct.arm[i]!;
    if (decisions[i] === t) z[i] = rct.revenue[i]! / rct.propensities[t]!;
  }
  return z;
}

/**
 * Contributions of the random reference's RCT value V = Σ_j w_j ȳ_j, with ȳ_j the mean revenue of the rows
 * given arm j and w_j = q/M + (1 − q)·1[j = 0] (the mixture of arm 0 and the uniform assignment). Within-arm
 * means are a ratio estimator; its influence is z_i = V + w_t · (n / n_t) · (y_i − ȳ_t) for a row of arm t,
 * whose mean is exactly V.
 */
export function randomReferenceContributions(rct: RctOutcomes, q: number): Float64Array {
  const n = rct.arm.length;
  const m = rct.propensities.length;
  const count = new Float64Array(m);
  const mean = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    count[rct.arm[i]!]! += 1;
    mean[rct.arm[i]!]! += rct.revenue[i]!;
  }
  let value = 0;
  const w = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    mean[j]! /= Math.max(1, count[j]!);
    w[j] = q / m + (j === 0 ? 1 - q : 0);
    value += w[j]! * mean[j]!;
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = rct.arm[i]!;
    z[i] = value + (w[t]! * n * (rct.revenue[i]! - mean[t]!)) / count[t]!;
  }
  return z;
}

/** Mean of the contributions and its standard error sd/√n (sd with n − 1; 0 for fewer than two rows). */
export function meanWithSe(z: ArrayLike<number>): MeanSe {
  const n = z.length;
  if (n === 0) return { mean: Number.NaN, se: Number.NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += z[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (z[i]! - mean) ** 2;
  return { mean, se: n > 1 ? Math.sqrt(ss / (n - 1) / n) : 0 };
}

/**
 * Σ_k a_k · z_k row by row: the contributions of a weighted sum of estimates on the same rows (a mean over
 * budgets, a difference against a reference, a ratio to a fixed reference value).
 */
export function combineContributions(terms: readonly { weight: number; z: Float64Array }[]): Float64Array {
  const n = terms[0]?.z.length ?? 0;
  const out = new Float64Array(n);
  for (const { weight, z } of terms) {
    if (z.length !== n) throw new Error(`combineContributions: ${z.length} rows against ${n}`);
    for (let i = 0; i < n; i++) out[i]! += weight * z[i]!;
  }
  return out;
}
