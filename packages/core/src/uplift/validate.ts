import type { NumericColumn } from './types.js';

/**
 * Input checks shared by every metric. Each check names the column and the first offending row (0-based), so
 * that a command-line user can find the bad value in the input file.
 */

/** Throws unless every column has the same length as the first one. */
export function checkSameLength(columns: Record<string, NumericColumn>): number {
  let n = -1;
  let first = '';
  for (const [name, col] of Object.entries(columns)) {
    if (n < 0) {
      n = col.length;
      first = name;
    } else if (col.length !== n) {
      throw new Error(`length mismatch: ${first} has ${n} rows but ${name} has ${col.length}`);
    }
  }
  if (n === 0) throw new Error('no rows: the metrics need at least one treated and one control row');
  return n;
}

/** Throws on the first NaN (±Infinity is allowed: it still has a place in a descending order). */
export function checkNoNaN(name: string, col: NumericColumn): void {
  for (let i = 0; i < col.length; i++) {
    if (Number.isNaN(col[i])) throw new Error(`${name} is NaN at row ${i}`);
  }
}

/** Throws on the first value that is not a finite number (outcomes and costs enter sums). */
export function checkFinite(name: string, col: NumericColumn): void {
  for (let i = 0; i < col.length; i++) {
    const v = col[i]!;
    if (!Number.isFinite(v)) throw new Error(`${name} is not finite (${v}) at row ${i}`);
  }
}

/**
 * Checks that a treatment column holds only 0 (control) and 1 (treated) and that both groups are present.
 * Returns the group sizes.
 */
export function checkBinaryTreatment(col: NumericColumn): { nTreated: number; nControl: number } {
  let nTreated = 0;
  let nControl = 0;
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (v === 1) nTreated++;
    else if (v === 0) nControl++;
    else throw new Error(`treatment must be 0 (control) or 1 (treated); got ${v} at row ${i}`);
  }
  if (nTreated === 0) throw new Error('no treated rows (treatment = 1)');
  if (nControl === 0) throw new Error('no control rows (treatment = 0)');
  return { nTreated, nControl };
}

/**
 * The checks every two-group metric needs: equal lengths, outcome finite, score not NaN, treatment 0/1 with
 * both groups present.
 */
export function checkUpliftInputs(
  outcome: NumericColumn,
  score: NumericColumn,
  treatment: NumericColumn,
): { n: number; nTreated: number; nControl: number } {
  const n = checkSameLength({ outcome, score, treatment });
  checkFinite('outcome', outcome);
  checkNoNaN('score', score);
  return { n, ...checkBinaryTreatment(treatment) };
}

/** True when every value is exactly 0 or 1 (the binary-outcome formulas of scikit-uplift apply). */
export function isBinary(col: NumericColumn): boolean {
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (v !== 0 && v !== 1) return false;
  }
  return true;
}
