import type { NumericColumn } from './types.js';

/**
 * Descending orders of a score column. Two tie rules are needed because the reference libraries differ:
 * - `'first'`: among equal scores the earlier row comes first (a stable descending sort; what pandas'
 *   `sort_values(ascending=False)` gives when its sort is stable — CausalML's curves).
 * - `'last'`: among equal scores the later row comes first (a stable ascending sort read backwards — what
 *   scikit-uplift's `argsort(kind="mergesort")[::-1]` gives; it matters only where scikit-uplift cuts inside
 *   a block of ties: uplift@k and the bins of the weighted average uplift).
 * The comparison is explicit (no subtraction) so that ±Infinity scores sort correctly.
 */
export type TieOrder = 'first' | 'last';

/** Row indices sorted by score, highest first, ties by `ties`. */
export function descendingOrder(score: NumericColumn, ties: TieOrder): Int32Array {
  const n = score.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const s = score;
  const tieSign = ties === 'first' ? 1 : -1;
  idx.sort((a, b) => {
    const sa = s[a]!;
    const sb = s[b]!;
    if (sa > sb) return -1;
    if (sa < sb) return 1;
    return tieSign * (a - b);
  });
  return idx;
}

/**
 * Positions (0-based, in the sorted order) of the last row of each block of equal scores. Curves that are
 * evaluated only at these positions do not depend on the order inside a block of ties.
 */
export function tieBlockEnds(order: Int32Array, score: NumericColumn): Int32Array {
  const n = order.length;
  const ends: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i === n - 1 || score[order[i]!]! !== score[order[i + 1]!]!) ends.push(i);
  }
  return Int32Array.from(ends);
}
