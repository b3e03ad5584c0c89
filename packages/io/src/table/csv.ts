import type { RawColumn, RawTable } from './raw-table.js';
import { excerpt, snippet } from './snippet.js';

/**
 * Numeric literals a CSV cell may hold: decimal with optional exponent, and NaN / Infinity spellings
 * (so that validation, not the reader, can report them). Hex, '1_000' and the like stay strings.
 */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = new Map<string, number>([
  ['nan', NaN],
  ['+nan', NaN],
  ['-nan', NaN],
  ['inf', Infinity],
  ['+inf', Infinity],
  ['-inf', -Infinity],
  ['infinity', Infinity],
  ['+infinity', Infinity],
  ['-infinity', -Infinity],
]);

/** The number a cell denotes, or undefined when it is not a number literal. Empty (after trimming) → NaN. */
export function parseNumberCell(cell: string): number | undefined {
  const t = cell.trim();
  if (t === '') return NaN;
  if (NUMBER.test(t)) return Number(t);
  return SPECIAL.get(t.toLowerCase());
}

/** Splits RFC 4180 text into records of fields. Throws with the 1-based line of the problem. */
function records(text: string, what: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (ch === '"' && field === '') {
      // Quoted field: runs to the next lone quote; "" is an escaped quote; newlines are data.
      const start = line;
      i++;
      for (;;) {
        if (i >= n) throw new Error(`${what}: unterminated quoted field starting on line ${start}`);
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\n') line++;
        field += c;
        i++;
      }
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r')
        throw new Error(
          `${what}: unexpected character ${snippet(next)} after a closing quote on line ${line} ` +
            '(a quote inside a quoted field must be doubled: "")',
        );
      // Mark the field as present even if empty ("" is an empty string, not a missing cell).
      row.push(field);
      field = '';
      if (next === ',') i++;
      else if (next === undefined) {
        rows.push(row);
        row = [];
      } else {
        i += next === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        rows.push(row);
        row = [];
      }
      continue;
    }
    if (ch === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\n' || ch === '\r') {
      row.push(field);
      field = '';
      rows.push(row);
      row = [];
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
    } else {
      // Fast path: copy a run of ordinary characters at once.
      let j = i + 1;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13) break;
        j++;
      }
      field += text.slice(i, j);
      i = j;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * Parses CSV text (RFC 4180: comma-separated, double-quoted fields with "" escapes, CRLF or LF line
 * ends; a header row is required) into a {@link RawTable}. A column is numeric when every non-empty
 * cell is a number literal (including NaN/Infinity spellings); empty cells in numeric columns become NaN.
 * Every other column stays strings, so validation can name the first offending cell.
 * `what` names the file in errors.
 */
export function parseCsv(text: string, what = 'input'): RawTable {
  const nul = text.indexOf('\0');
  if (nul >= 0)
    throw new Error(`${what} is not a CSV text file: it contains a NUL byte at character ${nul + 1} (binary data?)`);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const recs = records(text, what);
  // Blank lines at the end of the file are not rows.
  while (recs.length > 0 && recs[recs.length - 1]!.length === 1 && recs[recs.length - 1]![0] === '') recs.pop();
  const header = recs[0];
  if (!header || (header.length === 1 && header[0] === ''))
    throw new Error(`${what}: empty CSV; a header row naming the columns is required`);
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new Error(`${what}: duplicate column name ${snippet(name, 40)} in the header`);
    seen.add(name);
  }
  const numRows = recs.length - 1;
  for (let r = 1; r < recs.length; r++)
    if (recs[r]!.length !== header.length)
      throw new Error(
        `${what}: data row ${r} has ${recs[r]!.length} field(s), ` +
          `the header has ${header.length} (${excerpt(header.join(', '))})`,
      );
  const columns = new Map<string, RawColumn>();
  header.forEach((name, c) => {
    const nums = new Float64Array(numRows);
    let numeric = true;
    for (let r = 0; r < numRows; r++) {
      const v = parseNumberCell(recs[r + 1]![c]!);
      if (v === undefined) {
        numeric = false;
        break;
      }
      nums[r] = v;
    }
    columns.set(
      name,
      numeric ? { kind: 'number', values: nums } : { kind: 'string', values: recs.slice(1).map((row) => row[c]!) },
    );
  });
  return { numRows, columns };
}

/**
 * Decodes bytes as strict UTF-8 and parses them as CSV; invalid UTF-8 or NUL bytes (binary files, or
 * text in another encoding) are rejected with a message naming the file.
 */
export function parseCsvBytes(bytes: Uint8Array, what = 'input'): RawTable {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${what} is not a UTF-8 CSV text file (invalid UTF-8; binary data, or another text encoding?)`);
  }
  return parseCsv(text, what);
}
