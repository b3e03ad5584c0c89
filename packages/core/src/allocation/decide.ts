import type { ScoreMatrix } from '@bidfcl/contracts';

/**
 * Per-user decisions for a fixed Lagrange multiplier (docs/method.md §1): ĵ_i = argmax_j (r_ij − λ c_ij).
 * Ties go to the lower-cost arm, then to the lower index, so that at a breakpoint the cheaper decision is
 * taken (the budget-safe side). Comparisons are exact: callers that need budget-aware tie handling at a
 * breakpoint use {@link allocateBudget}, which works on the breakpoints directly.
 *
 * @param out optional buffer of length ≥ n (reused across calls in λ searches)
 */
export function decide(scores: ScoreMatrix, lambda: number, out?: Int32Array): Int32Array {
  const { n, m, r, c } = scores;
  const result = out ?? new Int32Array(n);
  if (result.length < n) throw new Error(`decide: out has length ${result.length} < n = ${n}`);
  for (let i = 0; i < n; i++) {
    const row = i * m;
    let best = 0;
    let bestCost = c[row]!;
    let bestValue = r[row]! - lambda * bestCost;
    for (let j = 1; j < m; j++) {
      const cost = c[row + j]!;
      const value = r[row + j]! - lambda * cost;
      if (value > bestValue || (value === bestValue && cost < bestCost)) {
        best = j;
        bestValue = value;
        bestCost = cost;
      }
    }
    result[i] = best;
  }
  return result;
}

/** Throws unless the matrix is well formed (sizes agree, every entry finite). */
export function assertScoreMatrix(scores: ScoreMatrix, what = 'scores'): void {
  const { n, m, r, c } = scores;
  if (!(Number.isInteger(n) && n >= 0 && Number.isInteger(m) && m >= 1)) {
    throw new Error(`${what}: bad shape n=${n}, m=${m}`);
  }
  if (r.length !== n * m || c.length !== n * m) {
    throw new Error(`${what}: r/c lengths ${r.length}/${c.length} do not match n×m = ${n * m}`);
  }
  for (let k = 0; k < n * m; k++) {
    if (!Number.isFinite(r[k]!) || !Number.isFinite(c[k]!)) {
      throw new Error(`${what}: non-finite score at user ${Math.floor(k / m)}, arm ${k % m}`);
    }
  }
}
