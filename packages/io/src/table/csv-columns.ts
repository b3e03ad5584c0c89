import type { RawColumn } from './raw-table.js';

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

/**
 * One CSV column built a cell at a time. A column is numeric while every cell is a number literal, and is kept as
 * numbers only: the text of a cell is kept too only where the number does not spell it back ('007', '1e3', ''),
 * so that a column found to hold a string later still gives every earlier cell verbatim (an id column '007, 8, x'
 * stays '007'), without holding every cell of a numeric file as a string.
 */
export class CsvColumnBuilder {
  private numbers = new Float64Array(1024);
  private readonly unlike = new Map<number, string>();
  private strings: string[] | undefined;
  private rows = 0;

  add(cell: string): void {
    if (this.strings) {
      this.strings.push(cell);
    } else {
      const v = parseNumberCell(cell);
      if (v === undefined) {
        this.strings = this.texts();
        this.strings.push(cell);
      } else {
        if (this.rows === this.numbers.length) {
          const grown = new Float64Array(this.numbers.length * 2);
          grown.set(this.numbers);
          this.numbers = grown;
        }
        this.numbers[this.rows] = v;
        if (String(v) !== cell) this.unlike.set(this.rows, cell);
      }
    }
    this.rows += 1;
  }

  /** The cells so far as their original text. */
  private texts(): string[] {
    return Array.from({ length: this.rows }, (_, r) => this.unlike.get(r) ?? String(this.numbers[r]));
  }

  finish(): RawColumn {
    if (this.strings) return { kind: 'string', values: this.strings };
    return { kind: 'number', values: this.numbers.slice(0, this.rows) };
  }
}
