import { descendingOrder } from './order.js';
import type { NumericColumn, ScoreResult } from './types.js';
import { checkUpliftInputs } from './validate.js';

/** How the top k is taken (scikit-uplift `uplift_at_k`). */
export type UpliftAtKStrategy = 'overall' | 'by_group';

/** Options of {@link upliftAtK}. */
export interface UpliftAtKOptions {
  /**
   * Size of the top. A number in (0, 1] is a fraction (1 = every row), a number > 1 must be an integer count
   * of rows. To ask for exactly one row, pass `k: 1, kType: 'count'`.
   */
  k: number;
  /** 'overall' (default): the top k rows of everyone; 'by_group': the top k of each group separately. */
  strategy?: UpliftAtKStrategy;
  /** Overrides how `k` is read (default: 'fraction' when k ≤ 1, 'count' otherwise). */
  kType?: 'fraction' | 'count';
}

/** uplift@k with the group counts and means it was computed from. */
export interface UpliftAtKResult extends ScoreResult {
  /** Treated / control rows inside the top. */
  nTreated: number;
  nControl: number;
  /** Mean outcome of each group inside the top; null where the group is empty there. */
  meanTreated: number | null;
  meanControl: number | null;
}

/**
 * Uplift at the top k (scikit-uplift `uplift_at_k`): mean outcome of the treated rows minus mean outcome of
 * the control rows among the k highest scores.
 *
 * Size of the top: a fraction k gives ⌊n·k⌋ rows ('overall') or ⌊n_treated·k⌋ and ⌊n_control·k⌋ rows
 * ('by_group'), as scikit-uplift. Order: highest score first, and among equal scores the LATER row first —
 * scikit-uplift's order; where the cut falls inside a block of ties, a warning says that the result depends
 * on that tie order.
 *
 * Defined where scikit-uplift returns NaN: with 'overall', a top that holds no control (or no treated) row
 * has no uplift estimate; the value is then 0 and a warning says which group was missing (meanTreated or
 * meanControl is null). A top with no row at all is an input error.
 */
export function upliftAtK(
  outcome: NumericColumn,
  score: NumericColumn,
  treatment: NumericColumn,
  opts: UpliftAtKOptions,
): UpliftAtKResult {
  const { n, nTreated: allTreated, nControl: allControl } = checkUpliftInputs(outcome, score, treatment);
  const strategy = opts.strategy ?? 'overall';
  if (strategy !== 'overall' && strategy !== 'by_group')
    throw new Error(`uplift@k: unknown strategy ${String(strategy)}`);
  const k = opts.k;
  if (!Number.isFinite(k) || k <= 0) throw new Error(`uplift@k: k must be > 0, got ${k}`);
  const kType = opts.kType ?? (k <= 1 ? 'fraction' : 'count');
  if (kType === 'fraction' && k > 1) throw new Error(`uplift@k: a fraction k must lie in (0, 1], got ${k}`);
  if (kType === 'count' && !Number.isInteger(k)) throw new Error(`uplift@k: a count k must be an integer, got ${k}`);

  const order = descendingOrder(score, 'last');
  const warnings: string[] = [];
  let sumT = 0;
  let sumC = 0;
  let nT = 0;
  let nC = 0;

  if (strategy === 'overall') {
    const size = kType === 'fraction' ? Math.floor(n * k) : k;
    if (size < 1) throw new Error(`uplift@k: k = ${k} selects no row out of ${n}`);
    if (size > n) throw new Error(`uplift@k: k = ${k} exceeds the ${n} rows`);
    for (let p = 0; p < size; p++) {
      const i = order[p]!;
      if (treatment[i] === 1) {
        nT++;
        sumT += outcome[i]!;
      } else {
        nC++;
        sumC += outcome[i]!;
      }
    }
    if (size < n && score[order[size - 1]!] === score[order[size]!]) {
      warnings.push(
        `uplift@k: the top ${size} rows end inside a block of equal scores; rows within it are taken later-row-first`,
      );
    }
  } else {
    const sizeT = kType === 'fraction' ? Math.floor(allTreated * k) : k;
    const sizeC = kType === 'fraction' ? Math.floor(allControl * k) : k;
    if (sizeT < 1 || sizeC < 1) {
      throw new Error(
        `uplift@k: k = ${k} selects no row of a group (treated ${allTreated}, control ${allControl} rows)`,
      );
    }
    if (sizeT > allTreated) throw new Error(`uplift@k: k = ${k} exceeds the ${allTreated} treated rows`);
    if (sizeC > allControl) throw new Error(`uplift@k: k = ${k} exceeds the ${allControl} control rows`);
    let lastT = NaN;
    let lastC = NaN;
    let nextT: number | undefined;
    let nextC: number | undefined;
    for (let p = 0; p < n; p++) {
      const i = order[p]!;
      if (treatment[i] === 1) {
        if (nT < sizeT) {
          nT++;
          sumT += outcome[i]!;
          lastT = score[i]!;
        } else if (nextT === undefined) nextT = score[i]!;
      } else if (nC < sizeC) {
        nC++;
        sumC += outcome[i]!;
        lastC = score[i]!;
      } else if (nextC === undefined) nextC = score[i]!;
    }
    if (nextT === lastT || nextC === lastC) {
      warnings.push(
        "uplift@k: a group's top ends inside a block of equal scores; rows within it are taken later-row-first",
      );
    }
  }

  const meanTreated = nT > 0 ? sumT / nT : null;
  const meanControl = nC > 0 ? sumC / nC : null;
  let value = 0;
  if (meanTreated === null || meanControl === null) {
    const missing = meanTreated === null ? 'treated' : 'control';
    warnings.push(`uplift@k: the top ${nT + nC} rows contain no ${missing} row; uplift set to 0`);
  } else {
    value = meanTreated - meanControl;
  }
  return { value, warnings, nTreated: nT, nControl: nC, meanTreated, meanControl };
}
