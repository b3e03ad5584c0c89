import type { NumericColumn } from './types.js';

/**
 * Descending orders of a score column. Two tie rules are needed because the reference libraries differ:
 * - `'first'`: among equal scores the earlier row comes first (a stable descending sort; what pandas'
 *   `sort_values(ascending=False)` gives when its sort is stable — CausalML's curves).
 * - `'last'`: among equal scores the later row comes first (a stable ascending sort read backwards — what
 *   scikit-uplift's `argsort(kind="mergesort")[::-1]` gives; it matters only where scikit-uplift cuts inside
 *   a block of ties: uplift@k and the bins of the weighted average uplift).
 *
 * Implementation: a stable least-significant-digit radix sort of the scores' IEEE-754 bit patterns (8 passes
 * of 8 bits, passes where every row has the same digit skipped), about 7× faster than V8's comparison sort
 * with a callback at a million rows. −0 and +0 are one value (a tie); ±Infinity
 * sort as numbers do. NaN must be rejected by the caller.
 */
export type TieOrder = 'first' | 'last';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Row indices sorted by score, highest first, ties by `ties`. */
export function descendingOrder(score: NumericColumn, ties: TieOrder): Int32Array {
  const n = score.length;
  // 64-bit keys (hi, lo) whose unsigned ascending order is the wanted order of the scores.
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer);
  const hiWord = LITTLE_ENDIAN ? 1 : 0;
  const loWord = 1 - hiWord;
  // 'first': stable sort of descending keys. 'last': stable sort of ascending keys, then reversed.
  const invert = ties === 'first';
  for (let i = 0; i < n; i++) {
    const v = score[i]!;
    f[0] = v === 0 ? 0 : v; // fold −0 into +0
    let h = u[hiWord]!;
    let l = u[loWord]!;
    // Map IEEE order onto unsigned order: negative numbers flip every bit, positive ones the sign bit.
    if (h & 0x80000000) {
      h = ~h;
      l = ~l;
    } else {
      h ^= 0x80000000;
    }
    hi[i] = (invert ? ~h : h) >>> 0;
    lo[i] = (invert ? ~l : l) >>> 0;
  }
  // The keys travel with the indices so that every pass reads sequentially (gathering keys through the index
  // array missed the cache on every row: ~6× slower at a million rows).
  let idx = new Int32Array(n);
  let tIdx = new Int32Array(n);
  let tLo = new Uint32Array(n);
  let tHi = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const count = new Int32Array(256);
  for (let pass = 0; pass < 8; pass++) {
    const low = pass < 4;
    const words = low ? lo : hi;
    const shift = (pass & 3) * 8;
    count.fill(0);
    for (let p = 0; p < n; p++) count[(words[p]! >>> shift) & 255]!++;
    if (n === 0 || count[(words[0]! >>> shift) & 255] === n) continue; // one digit for every row: order unchanged
    let sum = 0;
    for (let b = 0; b < 256; b++) {
      const c = count[b]!;
      count[b] = sum;
      sum += c;
    }
    if (low) {
      for (let p = 0; p < n; p++) {
        const d = count[(lo[p]! >>> shift) & 255]!++;
        tIdx[d] = idx[p]!;
        tLo[d] = lo[p]!;
        tHi[d] = hi[p]!;
      }
      [lo, tLo] = [tLo, lo];
    } else {
      for (let p = 0; p < n; p++) {
        const d = count[(hi[p]! >>> shift) & 255]!++;
        tIdx[d] = idx[p]!;
        tHi[d] = hi[p]!;
      }
    }
    [idx, tIdx] = [tIdx, idx];
    [hi, tHi] = [tHi, hi];
  }
  if (!invert) idx.reverse();
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
