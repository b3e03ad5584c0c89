import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { detectFormat, readTable, type RawColumn, type RawTable, type TableFormat } from '@bidfcl/io';
import { CliError, usageError } from '../cli-error.js';

/** A scored table read for `bidfcl metrics`, with where it came from (for messages). */
export interface ScoredTable {
  raw: RawTable;
  file: string;
}

/** Reads --input: a missing file or unknown format is a usage error (2), an unreadable table a data error (1). */
export async function readScoredTable(input: string, format: string | undefined): Promise<ScoredTable> {
  const file = path.resolve(input);
  let fmt: TableFormat | undefined;
  if (format !== undefined) {
    if (format !== 'csv' && format !== 'parquet') throw usageError(`--format must be csv or parquet, got '${format}'`);
    fmt = format;
  } else fmt = detectFormat(file);
  if (!fmt)
    throw usageError(`cannot tell the format of ${file}: name it .csv or .parquet, or pass --format csv|parquet`);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw usageError(
      `cannot read --input ${file}: ` +
        `${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
  try {
    return { raw: await readTable(bytes, fmt, file), file };
  } catch (err) {
    throw new CliError((err as Error).message, 1);
  }
}

/**
 * Every named column must exist: a usage error (2) listing the missing ones with their role and the available
 * columns.
 */
export function requireColumns(t: ScoredTable, wanted: [name: string, role: string][]): void {
  const missing = wanted.filter(([name]) => !t.raw.columns.has(name));
  if (missing.length === 0) return;
  const available = [...t.raw.columns.keys()].map((k) => `'${k}'`).join(', ') || 'none';
  throw usageError(
    `${t.file} has no column ${missing.map(([n, role]) => `'${n}' (${role})`).join(', ')}; ` +
      `available columns: ${available}`,
  );
}

/** A comma-separated flag value as a list of non-empty names. */
export function listOption(value: string | undefined, flag: string): string[] {
  if (value === undefined) return [];
  const parts = value.split(',').map((s) => s.trim());
  if (parts.some((p) => p === ''))
    throw usageError(`--${flag} expects a comma-separated list without empty entries, got '${value}'`);
  return parts;
}

/** A numeric column; text cells are a data error (1) naming the column and the first such row (1-based data row). */
export function numbersOf(t: ScoredTable, name: string, role: string): Float64Array {
  const col = t.raw.columns.get(name)!;
  if (col.kind === 'number') return col.values;
  const bad = col.values.findIndex((v) => v.trim() !== '' && !Number.isFinite(Number(v)));
  throw new CliError(
    `${t.file}: ${role} column '${name}' must hold numbers; ` +
      `data row ${bad + 1} holds '${col.values[Math.max(0, bad)]}'`,
    1,
  );
}

/** Checks the rows used: NaN is never allowed; ±Infinity only where `allowInfinite` (scores rank fine with them). */
export function checkRows(
  t: ScoredTable,
  values: Float64Array,
  name: string,
  role: string,
  rows: Int32Array,
  allowInfinite = false,
): void {
  for (const i of rows) {
    const v = values[i]!;
    if (Number.isNaN(v) || (!allowInfinite && !Number.isFinite(v)))
      throw new CliError(
        `${t.file}: ${role} column '${name}' holds ` +
          `${Number.isNaN(v) ? 'a missing value (empty, null or NaN)' : String(v)} at data row ${i + 1}; ` +
          'it must hold finite numbers',
        1,
      );
  }
}

/** An arm label as the treatment column holds it. */
export type ArmLabel = number | string;

/** The treatment column: one label per row, and the distinct labels (numbers ascending, text sorted). */
export interface TreatmentColumn {
  name: string;
  kind: 'number' | 'string';
  labels: ArmLabel[];
  distinct: ArmLabel[];
}

export function treatmentColumn(t: ScoredTable, name: string): TreatmentColumn {
  const col: RawColumn = t.raw.columns.get(name)!;
  if (col.kind === 'number') {
    const labels = Array.from(col.values);
    const bad = labels.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0)
      throw new CliError(
        `${t.file}: treatment column '${name}' holds ` +
          `${Number.isNaN(labels[bad]!) ? 'a missing value' : String(labels[bad])} at data row ${bad + 1}`,
        1,
      );
    return { name, kind: 'number', labels, distinct: [...new Set(labels)].sort((a, b) => a - b) };
  }
  const labels = col.values;
  const bad = labels.findIndex((v) => v === '');
  if (bad >= 0) throw new CliError(`${t.file}: treatment column '${name}' is empty at data row ${bad + 1}`, 1);
  return { name, kind: 'string', labels, distinct: [...new Set(labels)].sort() };
}

const showArms = (c: TreatmentColumn) => {
  const shown = c.distinct.slice(0, 20).map((v) => (typeof v === 'string' ? `'${v}'` : String(v)));
  return `${shown.join(', ')}${c.distinct.length > 20 ? `, … (${c.distinct.length} values)` : ''}`;
};

/** An arm named on the command line, typed like the column (a number for a numeric column). */
export function armValue(c: TreatmentColumn, text: string, flag: string): ArmLabel {
  if (c.kind === 'string') return text;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v))
    throw usageError(`--${flag} '${text}': treatment column '${c.name}' holds numbers (${showArms(c)})`);
  return v;
}

function present(c: TreatmentColumn, v: ArmLabel, flag: string): void {
  if (!c.distinct.includes(v))
    throw usageError(
      `--${flag} ${JSON.stringify(v)}: no row of treatment column '${c.name}' has that value (values: ${showArms(c)})`,
    );
}

/** Two arms picked from the treatment column, and the rows that belong to them (input order). */
export interface TwoArms {
  control: ArmLabel;
  treated: ArmLabel;
  rows: Int32Array;
  /** 1 treated / 0 control per kept row. */
  t: Float64Array;
  nTreated: number;
  nControl: number;
  dropped: number;
  warnings: string[];
}

/**
 * Control = --control (default 0 for a numeric column; a text column must name it). Treated = --treated, or
 * the only other value present (more than one other value needs --treated). Rows of any other arm are
 * dropped with a warning.
 */
export function selectTwoArms(
  c: TreatmentColumn,
  controlText: string | undefined,
  treatedText: string | undefined,
): TwoArms {
  if (controlText === undefined && c.kind === 'string')
    throw usageError(
      `treatment column '${c.name}' holds text: name the control arm with --control (values: ${showArms(c)})`,
    );
  const control = controlText === undefined ? 0 : armValue(c, controlText, 'control');
  present(c, control, 'control');
  let treated: ArmLabel;
  if (treatedText !== undefined) {
    treated = armValue(c, treatedText, 'treated');
    if (treated === control) throw usageError(`--treated and --control name the same arm (${JSON.stringify(control)})`);
    present(c, treated, 'treated');
  } else {
    const others = c.distinct.filter((v) => v !== control);
    if (others.length === 0)
      throw new CliError(
        `treatment column '${c.name}': every row has the control arm ${JSON.stringify(control)}, ` +
          'there is nothing to compare',
        1,
      );
    if (others.length > 1)
      throw usageError(
        `treatment column '${c.name}' has ${c.distinct.length} arms (${showArms(c)}): ` +
          `name the one to compare with control ${JSON.stringify(control)} with --treated`,
      );
    treated = others[0]!;
  }
  const rows: number[] = [];
  const t: number[] = [];
  let nTreated = 0;
  c.labels.forEach((v, i) => {
    if (v === control || v === treated) {
      rows.push(i);
      t.push(v === treated ? 1 : 0);
      if (v === treated) nTreated++;
    }
  });
  const dropped = c.labels.length - rows.length;
  const warnings: string[] = [];
  if (dropped > 0) {
    const otherArms = c.distinct.filter((v) => v !== control && v !== treated).map((v) => JSON.stringify(v));
    warnings.push(
      `dropped ${dropped} rows of arm(s) ${otherArms.join(', ')} ` +
        `(comparing treated ${JSON.stringify(treated)} with control ${JSON.stringify(control)})`,
    );
  }
  return {
    control,
    treated,
    rows: Int32Array.from(rows),
    t: Float64Array.from(t),
    nTreated,
    nControl: rows.length - nTreated,
    dropped,
    warnings,
  };
}

/**
 * Multi-arm: arm index per row. With `armNames` (--arms) arm j is the j-th name (typed like the column);
 * without, a numeric column's values must be the indices 0..m−1. A row of any other arm is a data error (1).
 */
export function armIndices(c: TreatmentColumn, m: number, armNames: string[]): { arm: Int32Array; labels: ArmLabel[] } {
  let labels: ArmLabel[];
  if (armNames.length > 0) {
    if (armNames.length !== m)
      throw usageError(`--arms names ${armNames.length} arms but the score columns describe ${m}`);
    labels = armNames.map((a) => armValue(c, a, 'arms'));
  } else {
    if (c.kind === 'string')
      throw usageError(
        `treatment column '${c.name}' holds text: ` +
          `list the arms in the order of the score columns with --arms (values: ${showArms(c)})`,
      );
    labels = Array.from({ length: m }, (_, j) => j);
  }
  const index = new Map<ArmLabel, number>(labels.map((l, j) => [l, j]));
  const arm = new Int32Array(c.labels.length);
  for (let i = 0; i < c.labels.length; i++) {
    const j = index.get(c.labels[i]!);
    if (j === undefined)
      throw new CliError(
        `treatment column '${c.name}' holds ${JSON.stringify(c.labels[i])} at data row ${i + 1}, ` +
          `which is none of the ${m} arms the score columns describe ` +
          `(${labels.map((l) => JSON.stringify(l)).join(', ')})${armNames.length ? '' : '; name them with --arms'}`,
        1,
      );
    arm[i] = j;
  }
  return { arm, labels };
}
