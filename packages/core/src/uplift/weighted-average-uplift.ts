import { descendingOrder } from './order.js';
import type { NumericColumn, ScoreResult } from './types.js';
import { checkUpliftInputs } from './validate.js';

/** Options of {@link weightedAverageUplift}. */
export interface WeightedAverageUpliftOptions {
  /** Number of bins (integer, 1 ≤ bins < rows; default 10 as scikit-uplift). */
  bins?: number;
  /** 'overall' (default): bins of all rows; 'by_group': each group cut into bins separately. */
  strategy?: 'overall' | 'by_group';
}

/** One bin of the weighted average uplift. */
export interface UpliftBin {
  nTreated: number;
  nControl: number;
  /** Mean outcome per group; null where the group is empty in this bin. */
  meanTreated: number | null;
  meanControl: number | null;
  /** meanTreated − meanControl; null where either group is empty (the bin is left out of the average). */
  uplift: number | null;
}

/** The weighted average uplift with its bins. */
export interface WeightedAverageUpliftResult extends ScoreResult {
  bins: UpliftBin[];
}

/** numpy `array_split` sizes: the first (len mod parts) sections get one extra element. */
function splitSizes(len: number, parts: number): number[] {
  const base = Math.floor(len / parts);
  const extra = len % parts;
  return Array.from({ length: parts }, (_, b) => base + (b < extra ? 1 : 0));
}

/**
 * Weighted average uplift (scikit-uplift `weighted_average_uplift`): rows sorted by score (highest first,
 * among equal scores the later row first, as scikit-uplift), cut into `bins` consecutive sections of
 * near-equal size (numpy array_split), uplift per bin = mean treated outcome − mean control outcome, averaged
 * with the bins' treated counts as weights.
 *
 * Defined where scikit-uplift returns NaN: a bin without treated or without control rows has no uplift; it is
 * left out of the average (weight 0) and a warning names it. When no bin has both groups the value is 0 with
 * a warning.
 */
export function weightedAverageUplift(
  outcome: NumericColumn,
  score: NumericColumn,
  treatment: NumericColumn,
  opts: WeightedAverageUpliftOptions = {},
): WeightedAverageUpliftResult {
  const { n } = checkUpliftInputs(outcome, score, treatment);
  const binCount = opts.bins ?? 10;
  const strategy = opts.strategy ?? 'overall';
  if (!Number.isInteger(binCount) || binCount < 1)
    throw new Error(`weighted average uplift: bins must be a positive integer, got ${binCount}`);
  if (binCount >= n) throw new Error(`weighted average uplift: bins = ${binCount} must be smaller than the ${n} rows`);
  if (strategy !== 'overall' && strategy !== 'by_group')
    throw new Error(`weighted average uplift: unknown strategy ${String(strategy)}`);

  const order = descendingOrder(score, 'last');
  const sumT = new Float64Array(binCount);
  const sumC = new Float64Array(binCount);
  const cntT = new Int32Array(binCount);
  const cntC = new Int32Array(binCount);

  if (strategy === 'overall') {
    const sizes = splitSizes(n, binCount);
    let p = 0;
    for (let b = 0; b < binCount; b++) {
      for (let end = p + sizes[b]!; p < end; p++) {
        const i = order[p]!;
        if (treatment[i] === 1) {
          cntT[b]!++;
          sumT[b]! += outcome[i]!;
        } else {
          cntC[b]!++;
          sumC[b]! += outcome[i]!;
        }
      }
    }
  } else {
    // Each group in score order, cut into its own bins; bin b pairs the b-th section of each group.
    const treatedRows: number[] = [];
    const controlRows: number[] = [];
    for (let p = 0; p < n; p++) {
      const i = order[p]!;
      (treatment[i] === 1 ? treatedRows : controlRows).push(i);
    }
    const fill = (rows: number[], sums: Float64Array, counts: Int32Array): void => {
      const sizes = splitSizes(rows.length, binCount);
      let p = 0;
      for (let b = 0; b < binCount; b++) {
        for (let end = p + sizes[b]!; p < end; p++) {
          counts[b]!++;
          sums[b]! += outcome[rows[p]!]!;
        }
      }
    };
    fill(treatedRows, sumT, cntT);
    fill(controlRows, sumC, cntC);
  }

  const warnings: string[] = [];
  const bins: UpliftBin[] = [];
  let weighted = 0;
  let weight = 0;
  const emptyBins: number[] = [];
  for (let b = 0; b < binCount; b++) {
    const nT = cntT[b]!;
    const nC = cntC[b]!;
    const meanTreated = nT > 0 ? sumT[b]! / nT : null;
    const meanControl = nC > 0 ? sumC[b]! / nC : null;
    const uplift = meanTreated !== null && meanControl !== null ? meanTreated - meanControl : null;
    if (uplift === null) emptyBins.push(b);
    else {
      weighted += nT * uplift;
      weight += nT;
    }
    bins.push({ nTreated: nT, nControl: nC, meanTreated, meanControl, uplift });
  }
  if (emptyBins.length > 0) {
    warnings.push(
      `weighted average uplift: bin(s) ${emptyBins.join(', ')} lack treated or control rows; left out of the average`,
    );
  }
  let value = 0;
  if (weight > 0) value = weighted / weight;
  else warnings.push('weighted average uplift: no bin has both treated and control rows; value set to 0');
  return { value, warnings, bins };
}
