import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvBytes, parseNumberCell } from './csv.js';
import { readTable } from './read-table.js';
import { writeParquet } from './parquet.js';

describe('parseCsv', () => {
  it('handles quoted fields, escaped quotes, embedded commas and newlines, CRLF and a BOM', () => {
    const text = '\ufeffid,name,score\r\n1,"Smith, ""Jo""",2.5\r\n2,"multi\r\nline",-3e2\r\n3,,\r\n';
    const t = parseCsv(text, 'q.csv');
    expect(t.numRows).toBe(3);
    expect([...t.columns.keys()]).toEqual(['id', 'name', 'score']);
    expect(t.columns.get('name')).toEqual({ kind: 'string', values: ['Smith, "Jo"', 'multi\r\nline', ''] });
    const score = t.columns.get('score');
    expect(score?.kind).toBe('number');
    expect(Array.from(score!.values as Float64Array)).toEqual([2.5, -300, NaN]);
    expect(Array.from(t.columns.get('id')!.values as Float64Array)).toEqual([1, 2, 3]);
  });

  it('accepts LF line ends, no final newline, and a quoted last field', () => {
    const t = parseCsv('a,b\n1,"x"\n2,y', 'lf.csv');
    expect(t.numRows).toBe(2);
    expect(t.columns.get('b')).toEqual({ kind: 'string', values: ['x', 'y'] });
  });

  it('types columns: numbers (with NaN/Infinity spellings) vs strings kept verbatim', () => {
    const t = parseCsv('n,s,m\n1,abc,NaN\n.5,1,inf\n-2E-3,2,-Infinity\n', 'types.csv');
    expect(Array.from(t.columns.get('n')!.values as Float64Array)).toEqual([1, 0.5, -0.002]);
    expect(t.columns.get('s')).toEqual({ kind: 'string', values: ['abc', '1', '2'] });
    expect(Array.from(t.columns.get('m')!.values as Float64Array)).toEqual([NaN, Infinity, -Infinity]);
    for (const notNumber of ['0x10', '1_000', '1,5', 'constructor', '1e', '--1', 'e5'])
      expect(parseNumberCell(notNumber), notNumber).toBeUndefined();
    expect(parseNumberCell(' 7 ')).toBe(7);
  });

  it('reports structural errors with the file and row', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n', 'bad.csv')).toThrow(
      /bad\.csv: data row 2 has 1 field\(s\), the header has 2 \(a, b\)/,
    );
    expect(() => parseCsv('a,b\n1,"open\n', 'bad.csv')).toThrow(
      /bad\.csv: unterminated quoted field starting on line 2/,
    );
    expect(() => parseCsv('a,b\n"x"y,1\n', 'bad.csv')).toThrow(
      /unexpected character 'y' after a closing quote on line 2/,
    );
    expect(() => parseCsv('a,a\n1,2\n', 'dup.csv')).toThrow(/dup\.csv: duplicate column name 'a'/);
    expect(() => parseCsv('', 'empty.csv')).toThrow(/empty\.csv: empty CSV; a header row/);
    expect(parseCsv('a,b\n', 'h.csv').numRows).toBe(0);
  });

  it('rejects binary data: NUL bytes and invalid UTF-8', () => {
    expect(() => parseCsvBytes(new Uint8Array([0x61, 0x2c, 0x62, 0x0a, 0x31, 0x00, 0x32]), 'nul.csv')).toThrow(
      /nul\.csv is not a CSV text file: it contains a NUL byte/,
    );
    expect(() => parseCsvBytes(new Uint8Array([0x61, 0x0a, 0xff, 0xfe, 0x0a]), 'latin.csv')).toThrow(
      /latin\.csv is not a UTF-8 CSV text file/,
    );
    // A Parquet file handed to the CSV reader is binary too.
    expect(() => readTable(writeParquet({ a: new Float64Array(3) }), 'csv', 'p.csv')).toThrow(/p\.csv is not a/);
  });

  it('readTable dispatches by format', () => {
    const csv = readTable(new TextEncoder().encode('x\n1\n'), 'csv', 'x.csv');
    const parquet = readTable(writeParquet({ x: new Float64Array([1]) }), 'parquet', 'x.parquet');
    expect(csv).toEqual(parquet);
  });
});
