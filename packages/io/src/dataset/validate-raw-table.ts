import type { ArmSpec, DatasetSpec, Split, StagedPart } from '@bidfcl/contracts';
import { parseNumberCell } from '../table/csv.js';
import type { RawColumn, RawTable } from '../table/raw-table.js';
import { quotedList, snippet } from '../table/snippet.js';
import { DatasetValidationError } from './dataset-validation-error.js';

/**
 * One input file's rows after validation, in the roles the dataset spec gives its columns: a staged part without
 * its arm count (categorical numbers become their decimal text, missing ones ''; true outcomes are required on
 * the test split).
 */
export type ValidatedPart = Omit<StagedPart, 'm'>;

interface Ctx {
  file: string;
  split: Split;
}

const fail = (ctx: Ctx, column: string, row: number | undefined, message: string): never => {
  throw new DatasetValidationError(
    `${ctx.file}: ${message}`,
    row === undefined ? { file: ctx.file, column } : { file: ctx.file, column, row },
  );
};

const show = (v: string) => snippet(v, 40);

/**
 * The largest magnitude a numeric input may have. Standardisation squares and sums every value, and training
 * runs in float32 (max ≈ 3.4e38): 1e15 keeps both finite with room to spare, and no revenue, cost or feature
 * in real units comes near it, so a larger value is a unit or export error, caught here naming its row rather
 * than as a diverging model three stages later.
 */
export const MAX_ABS_INPUT = 1e15;

/** A numeric column in role `role`: every cell a finite number (and ≥ 0 when `nonNegative`). */
function numericColumn(col: RawColumn, name: string, role: string, ctx: Ctx, nonNegative = false): Float64Array {
  let values: Float64Array;
  if (col.kind === 'number') values = col.values;
  else {
    values = new Float64Array(col.values.length);
    for (let i = 0; i < col.values.length; i++) {
      const v = parseNumberCell(col.values[i]!);
      if (v === undefined)
        fail(
          ctx,
          name,
          i + 1,
          `non-numeric value ${show(col.values[i]!)} in ${role} '${name}' at row ${i + 1}; it must hold numbers`,
        );
      values[i] = v!;
    }
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v))
      fail(
        ctx,
        name,
        i + 1,
        `missing value (empty, null or NaN) in ${role} '${name}' at row ${i + 1}; it must hold finite numbers`,
      );
    if (!Number.isFinite(v))
      fail(
        ctx,
        name,
        i + 1,
        `${v > 0 ? 'Infinity' : '-Infinity'} in ${role} '${name}' at row ${i + 1}; it must hold finite numbers`,
      );
    if (Math.abs(v) > MAX_ABS_INPUT)
      fail(
        ctx,
        name,
        i + 1,
        `value ${v} in ${role} '${name}' at row ${i + 1} is beyond ±${MAX_ABS_INPUT}; ` +
          'rescale the column (e.g. to thousands): such magnitudes overflow standardisation and float32 training',
      );
    if (nonNegative && v < 0)
      fail(ctx, name, i + 1, `negative value ${v} in ${role} '${name}' at row ${i + 1}; costs must be ≥ 0`);
  }
  return values;
}

function textColumn(col: RawColumn): string[] {
  if (col.kind === 'string') return col.values;
  return Array.from(col.values, (v) => (Number.isNaN(v) ? '' : String(v)));
}

/**
 * Arm values are arm names (spec.arms[].name) or indices 0..M-1, decided per column: names when every
 * value is a configured name, else indices when every value is an in-range integer.
 */
function armColumn(col: RawColumn, name: string, arms: ArmSpec[], ctx: Ctx): Int32Array {
  const m = arms.length;
  const byName = new Map(arms.map((a, j) => [a.name, j]));
  const cells = col.kind === 'string' ? col.values : Array.from(col.values, (v) => (Number.isNaN(v) ? '' : String(v)));
  const asIndex = (cell: string): number | undefined => {
    const v = parseNumberCell(cell);
    return v !== undefined && Number.isInteger(v) && v >= 0 && v < m ? v : undefined;
  };
  const out = new Int32Array(cells.length);
  let allNames = true;
  for (let i = 0; i < cells.length && allNames; i++) {
    const j = byName.get(cells[i]!) ?? (col.kind === 'number' ? numericName(cells[i]!, arms) : undefined);
    if (j === undefined) allNames = false;
    else out[i] = j;
  }
  if (allNames) return out;
  const allowed = `allowed: arm names ${arms.map((a) => show(a.name)).join(', ')} or arm indices 0..${m - 1}`;
  let firstNotIndex = -1;
  for (let i = 0; i < cells.length; i++) {
    const j = asIndex(cells[i]!);
    if (j !== undefined) {
      out[i] = j;
      continue;
    }
    if (firstNotIndex < 0) firstNotIndex = i;
    // A value that is neither a name nor an index is the clearest thing to report.
    if (!byName.has(cells[i]!))
      fail(
        ctx,
        name,
        i + 1,
        `arm value ${show(cells[i]!)} in arm column '${name}' at row ${i + 1} is not a configured arm; ${allowed}`,
      );
  }
  if (firstNotIndex < 0) return out;
  return fail(
    ctx,
    name,
    firstNotIndex + 1,
    `arm column '${name}' mixes arm names and indices ` +
      `(row ${firstNotIndex + 1} holds ${show(cells[firstNotIndex]!)}); use one or the other; ${allowed}`,
  );
}

/** A numeric cell against numeric arm names ("5" matches 5.0). */
function numericName(cell: string, arms: ArmSpec[]): number | undefined {
  const v = Number(cell);
  const j = arms.findIndex((a) => parseNumberCell(a.name) === v && a.name.trim() !== '');
  return j >= 0 ? j : undefined;
}

/**
 * Checks one input table against the dataset spec and returns its columns by role. Throws a
 * {@link DatasetValidationError} naming file, column and first offending row (1-based data row) for:
 * missing columns, zero rows, non-numeric / NaN / infinite values in numeric columns, negative costs,
 * arms outside the configured arms. True-outcome columns are required on the test split and read
 * elsewhere when all of them are present.
 */
export function validateRawTable(raw: RawTable, spec: DatasetSpec, ctx: Ctx): ValidatedPart {
  const c = spec.columns;
  const truthNames = [...(c.trueRevenue ?? []), ...(c.trueCost ?? [])];
  const withTruth = truthNames.length > 0 && (ctx.split === 'test' || truthNames.every((t) => raw.columns.has(t)));
  const required: [string, string][] = [
    [c.arm, 'arm column'],
    [c.revenue, 'revenue column'],
    [c.cost, 'cost column'],
    ...c.features.map((f): [string, string] => [f, 'numeric feature column']),
    ...c.categorical.map((f): [string, string] => [f, 'categorical feature column']),
    ...(c.userId ? [[c.userId, 'user id column'] as [string, string]] : []),
    ...(withTruth ? truthNames.map((t): [string, string] => [t, 'true-outcome column']) : []),
  ];
  const missing = required.filter(([name]) => !raw.columns.has(name));
  if (missing.length > 0) {
    const list = missing.map(([name, role]) => `'${name}' (${role})`).join(', ');
    const available = quotedList([...raw.columns.keys()]) || 'none';
    fail(
      ctx,
      missing[0]![0],
      undefined,
      `missing required column${missing.length > 1 ? 's' : ''} ${list} for the ${ctx.split} split; ` +
        `available columns: ${available}`,
    );
  }
  if (raw.numRows === 0)
    fail(ctx, c.arm, undefined, `no data rows in this ${ctx.split} file; every input file needs at least one row`);
  const col = (name: string) => raw.columns.get(name)!;

  const arm = armColumn(col(c.arm), c.arm, spec.arms, ctx);
  const revenue = numericColumn(col(c.revenue), c.revenue, 'revenue column', ctx);
  const cost = numericColumn(col(c.cost), c.cost, 'cost column', ctx, true);
  const numeric: Record<string, Float64Array> = {};
  for (const f of c.features) numeric[f] = numericColumn(col(f), f, 'numeric feature column', ctx);
  const categorical: Record<string, string[]> = {};
  for (const f of c.categorical) categorical[f] = textColumn(col(f));
  const part: ValidatedPart = { n: raw.numRows, numeric, categorical, arm, revenue, cost };
  if (c.userId) part.userId = textColumn(col(c.userId));
  if (withTruth && c.trueRevenue && c.trueCost) {
    const m = spec.arms.length;
    const interleave = (names: string[], role: string, nonNegative: boolean) => {
      const out = new Float64Array(raw.numRows * m);
      names.forEach((name, j) => {
        const v = numericColumn(col(name), name, `${role} column for arm ${j}`, ctx, nonNegative);
        for (let i = 0; i < raw.numRows; i++) out[i * m + j] = v[i]!;
      });
      return out;
    };
    part.trueRevenue = interleave(c.trueRevenue, 'true revenue', false);
    part.trueCost = interleave(c.trueCost, 'true cost', true);
  }
  return part;
}
