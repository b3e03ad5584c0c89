import * as tf from '@tensorflow/tfjs';
import { decide } from '@bidfcl/core';
import type { Batch } from './device-table.js';
import { inversePropensities, policyScores, type PolicyLossOptions } from './policy-losses.js';

/** IFD options: PolicyLossOptions plus the boundary window of docs/method.md §3.4. */
export interface IfdOptions extends PolicyLossOptions {
  /** |h| is clipped from below by hMin (standardised score units). */
  hMin: number;
  /** Entries with |h| > hMax get no signal (only samples near the decision boundary teach). */
  hMax: number;
}

/**
 * docs/method.md §3.4: finite-difference estimate of ∂V/∂a_ij for the IPW decision value
 * V = (1/N) Σ_i (1/p_{t_i}) v_i 1[ĵ_i = t_i] of the decisions ĵ_i = argmax_j a_ij.
 * With w_i = v_i / (N p_{t_i}) and h the signed gap to the decision boundary:
 * - matched (t_i = ĵ_i): h_{i,t} = max_{j≠t} a_ij − a_{i,t} ≤ 0 and h_ij = a_{i,t} − a_ij ≥ 0 (j ≠ t);
 *   g_ij = −w_i / h_ij (so g_{i,t} = +w_i/|h|, g_ij = −w_i/|h_ij|).
 * - mismatched: h_{i,t} = a_{iĵ} − a_{i,t} ≥ 0, h_{iĵ} = −h_{i,t}; g_ij = +w_i / h_ij (others 0).
 * Each g is ΔV/Δa for moving a_ij exactly onto the boundary. |h| is clipped below at hMin, and g = 0 where
 * |h| > hMax. `decisions` must be the argmax of `a` (core's `decide`, whose ties go to the cheaper arm).
 * Returns g, n × m row-major.
 */
export function ifdValueGradient(
  a: ArrayLike<number>,
  m: number,
  decisions: Int32Array,
  arm: Int32Array,
  value: ArrayLike<number>,
  ipw: ArrayLike<number>,
  hMin: number,
  hMax: number,
): Float32Array {
  const n = arm.length;
  const g = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    const row = i * m;
    const t = arm[i] as number;
    const jHat = decisions[i] as number;
    const w = ((ipw[i] as number) * (value[i] as number)) / n;
    const at = a[row + t] as number;
    if (t === jHat) {
      let maxOther = -Infinity;
      for (let j = 0; j < m; j++) {
        if (j === t) continue;
        const gap = at - (a[row + j] as number); // = h_ij ≥ 0
        if (gap <= hMax) g[row + j] = -w / Math.max(gap, hMin);
        maxOther = Math.max(maxOther, a[row + j] as number);
      }
      const gapT = at - maxOther; // = |h_{i,t}|
      if (m > 1 && gapT <= hMax) g[row + t] = w / Math.max(gapT, hMin);
    } else {
      const gap = (a[row + jHat] as number) - at; // = h_{i,t} = |h_{iĵ}|
      if (gap <= hMax) {
        const gi = w / Math.max(gap, hMin);
        g[row + t] = gi;
        g[row + jHat] = -gi;
      }
    }
  }
  return g;
}

/** Host copy of a = r̂ − λ ĉ·mask with core's decisions, from the read [B, 2M] predictions. */
function hostScores(
  predValues: ArrayLike<number>,
  n: number,
  m: number,
  lambda: number,
  zeroCostArms: boolean[],
): { a: Float64Array; decisions: Int32Array } {
  const r = new Float64Array(n * m);
  const c = new Float64Array(n * m);
  const a = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const rij = predValues[i * 2 * m + j] as number;
      const cij = zeroCostArms[j] ? 0 : (predValues[i * 2 * m + m + j] as number);
      r[i * m + j] = rij;
      c[i * m + j] = cij;
      // Same float32 rounding as the tensor scores, so that the decisions match the softmax's ordering.
      a[i * m + j] = Math.fround(rij - Math.fround(lambda * cij));
    }
  }
  return { a, decisions: decide({ n, m, r, c }, lambda) };
}

/** −Σ_ij g_ij · softmax(a/τ)_ij for one λ and per-row values v (g a constant: no gradient flows through it). */
function ifdSurrogate(
  pred: tf.Tensor2D,
  batch: Batch,
  lambda: number,
  value: ArrayLike<number>,
  opts: IfdOptions,
  predValues: ArrayLike<number>,
): tf.Scalar {
  const { n, m, arm } = batch.host;
  const { a, decisions } = hostScores(predValues, n, m, lambda, opts.zeroCostArms);
  const ipw = inversePropensities(batch.host, opts.propensities);
  const g = ifdValueGradient(a, m, decisions, arm, value, ipw, opts.hMin, opts.hMax);
  return tf.tidy(() => {
    const z = tf.softmax(tf.div(policyScores(pred, lambda, opts.zeroCostArms), opts.tau));
    return tf.neg(tf.sum(tf.mul(tf.tensor2d(g, [n, m]), z))) as tf.Scalar;
  });
}

/**
 * PIFD (docs/method.md §3.4): surrogate L = −Σ_ij stop_gradient(g_ij) · z'_ij, z' = softmax((r̂ − λ* ĉ)/τ), g from
 * `ifdValueGradient` with the value v_i = y_r,i. g is ∂V/∂z' (the value's gradient), so the loss carries a minus
 * sign: descending it moves the policy the way the decision value rises. `predValues` (the read `pred`) saves a
 * second read when the caller already has it.
 */
export function pifdLoss(
  pred: tf.Tensor2D,
  batch: Batch,
  lambda: number,
  opts: IfdOptions,
  predValues?: ArrayLike<number>,
): tf.Scalar {
  const values = predValues ?? pred.dataSync();
  return ifdSurrogate(pred, batch, lambda, batch.host.yr, opts, values);
}

/** DIFD (docs/method.md §3.2/3.4): Σ_{λ∈Λ} of the PIFD surrogate with the value v_i = y_r,i − λ y_c,i. */
export function difdLoss(
  pred: tf.Tensor2D,
  batch: Batch,
  lambdas: number[],
  opts: IfdOptions,
  predValues?: ArrayLike<number>,
): tf.Scalar {
  const values = predValues ?? pred.dataSync();
  const { yr, yc } = batch.host;
  return tf.tidy(() => {
    const terms = lambdas.map((lambda) => {
      const v = Float32Array.from(yr, (r, i) => r - lambda * (yc[i] as number));
      return ifdSurrogate(pred, batch, lambda, v, opts, values);
    });
    return tf.addN(terms) as tf.Scalar;
  });
}
