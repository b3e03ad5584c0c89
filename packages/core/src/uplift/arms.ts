import type { NumericColumn } from './types.js';

/** The two arms a two-group metric compares, and the rows that belong to them. */
export interface ArmSelection {
  control: number;
  treated: number;
  /** Original indices of the kept rows, in input order. */
  rows: Int32Array;
  /** 1 treated / 0 control for each kept row. */
  treatment: Uint8Array;
  nTreated: number;
  nControl: number;
  /** Rows whose treatment was neither arm. */
  dropped: number;
  warnings: string[];
}

/**
 * Picks the control and treated arms of a (possibly multi-arm) treatment column.
 * - control defaults to 0;
 * - treated defaults to the only other value present; with more than one other value the caller must name
 *   the treated arm (error listing the arms);
 * - rows of any other arm are dropped with a warning;
 * - a non-finite treatment value is an error naming its row.
 */
export function selectArms(treatment: NumericColumn, control = 0, treated?: number): ArmSelection {
  const counts = new Map<number, number>();
  for (let i = 0; i < treatment.length; i++) {
    const v = treatment[i]!;
    if (!Number.isFinite(v)) throw new Error(`treatment is not finite (${v}) at row ${i}`);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const arms = [...counts.keys()].sort((a, b) => a - b);
  if (!counts.has(control))
    throw new Error(`no control rows: no row has treatment = ${control} (arms present: ${arms.join(', ')})`);
  let chosen = treated;
  if (chosen === undefined) {
    const others = arms.filter((a) => a !== control);
    if (others.length === 0) throw new Error(`no treated rows: every row has the control treatment ${control}`);
    if (others.length > 1) {
      throw new Error(
        `more than two arms (${arms.join(', ')}): name the treated arm to compare with control ${control}`,
      );
    }
    chosen = others[0]!;
  } else {
    if (chosen === control) throw new Error(`the treated arm must differ from the control arm (both ${control})`);
    if (!counts.has(chosen))
      throw new Error(`no treated rows: no row has treatment = ${chosen} (arms present: ${arms.join(', ')})`);
  }
  const nTreated = counts.get(chosen)!;
  const nControl = counts.get(control)!;
  const kept = nTreated + nControl;
  const rows = new Int32Array(kept);
  const t = new Uint8Array(kept);
  let p = 0;
  for (let i = 0; i < treatment.length; i++) {
    const v = treatment[i]!;
    if (v === chosen || v === control) {
      rows[p] = i;
      t[p] = v === chosen ? 1 : 0;
      p++;
    }
  }
  const dropped = treatment.length - kept;
  const warnings: string[] = [];
  if (dropped > 0) {
    const otherArms = arms.filter((a) => a !== control && a !== chosen);
    warnings.push(
      `dropped ${dropped} rows of arm(s) ${otherArms.join(', ')} (comparing treated ${chosen} with control ${control})`,
    );
  }
  return { control, treated: chosen, rows, treatment: t, nTreated, nControl, dropped, warnings };
}

/** The kept rows of a column, as a Float64Array. */
export function takeRows(col: NumericColumn, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let p = 0; p < rows.length; p++) out[p] = col[rows[p]!]!;
  return out;
}
