import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvBytes, parseCsvChunks, parseNumberCell } from './csv.js';
import { readTable } from './read-table.js';
import { writeParquet } from './parquet.js';

describe('parseCsv', () => {
  it('handles quoted fields, escaped quotes, embedded commas and newlines, CRLF and a BOM', async () => {
    const text = '\ufeffid,name,score\r\n1,"Smith, ""Jo""",2.5\r\n2,"multi\r\nline",-3e2\r\n3,,\r\n';
    const t = await parseCsv(text, 'q.csv');
    expect(t.numRows).toBe(3);
    expect([...t.columns.keys()]).toEqual(['id', 'name', 'score']);
    expect(t.columns.get('name')).toEqual({ kind: 'string', values: ['Smith, "Jo"', 'multi\r\nline', ''] });
    const score = t.columns.get('score');
    expect(score?.kind).toBe('number');
    expect(Array.from(score!.values as Float64Array)).toEqual([2.5, -300, NaN]);
    expect(Array.from(t.columns.get('id')!.values as Float64Array)).toEqual([1, 2, 3]);
  });

  it('accepts LF line ends, no final newline, and a quoted last field', async () => {
    const t = await parseCsv('a,b\n1,"x"\n2,y', 'lf.csv');
    expect(t.numRows).toBe(2);
    expect(t.columns.get('b')).toEqual({ kind: 'string', values: ['x', 'y'] });
  });

  it('types columns: numbers (with NaN/Infinity spellings) vs strings kept verbatim', async () => {
    const t = await parseCsv('n,s,m\n1,abc,NaN\n.5,1,inf\n-2E-3,2,-Infinity\n', 'types.csv');
    expect(Array.from(t.columns.get('n')!.values as Float64Array)).toEqual([1, 0.5, -0.002]);
    expect(t.columns.get('s')).toEqual({ kind: 'string', values: ['abc', '1', '2'] });
    expect(Array.from(t.columns.get('m')!.values as Float64Array)).toEqual([NaN, Infinity, -Infinity]);
    for (const notNumber of ['0x10', '1_000', '1,5', 'constructor', '1e', '--1', 'e5'])
      expect(parseNumberCell(notNumber), notNumber).toBeUndefined();
    expect(parseNumberCell(' 7 ')).toBe(7);
  });

  it('reports structural errors with the file and row', async () => {
    await expect(parseCsv('a,b\n1,2\n3\n', 'bad.csv')).rejects.toThrow(
      /bad\.csv: data row 2 has 1 field\(s\), the header has 2 \(a, b\)/,
    );
    await expect(parseCsv('a,b\n1,"open\n', 'bad.csv')).rejects.toThrow(
      /bad\.csv: unterminated quoted field starting on line 2/,
    );
    await expect(parseCsv('a,b\n"x"y,1\n', 'bad.csv')).rejects.toThrow(
      /unexpected character 'y' after a closing quote on line 2/,
    );
    // Stricter than the former reader, which took a stray quote in an unquoted field as data.
    await expect(parseCsv('a,b\nab"c,1\n', 'bad.csv')).rejects.toThrow(
      /bad\.csv: a quote inside an unquoted field on line 2/,
    );
    await expect(parseCsv('a,a\n1,2\n', 'dup.csv')).rejects.toThrow(/dup\.csv: duplicate column name 'a'/);
    await expect(parseCsv('', 'empty.csv')).rejects.toThrow(/empty\.csv: empty CSV; a header row/);
    expect((await parseCsv('a,b\n', 'h.csv')).numRows).toBe(0);
  });

  it('rejects binary data: NUL bytes and invalid UTF-8', async () => {
    await expect(parseCsvBytes(new Uint8Array([0x61, 0x2c, 0x62, 0x0a, 0x31, 0x00, 0x32]), 'nul.csv')).rejects.toThrow(
      /nul\.csv is not a CSV text file: it contains a NUL byte/,
    );
    await expect(parseCsvBytes(new Uint8Array([0x61, 0x0a, 0xff, 0xfe, 0x0a]), 'latin.csv')).rejects.toThrow(
      /latin\.csv is not a UTF-8 CSV text file/,
    );
    // A Parquet file handed to the CSV reader is binary too.
    await expect(readTable(writeParquet({ a: new Float64Array(3) }), 'csv', 'p.csv')).rejects.toThrow(
      /p\.csv is not a/,
    );
  });

  it('readTable dispatches by format', async () => {
    const csv = await readTable(new TextEncoder().encode('x\n1\n'), 'csv', 'x.csv');
    const parquet = await readTable(writeParquet({ x: new Float64Array([1]) }), 'parquet', 'x.parquet');
    expect(csv).toEqual(parquet);
  });

  it('streams: chunks cut anywhere (quoted field, CRLF, multi-byte character) give the same table', async () => {
    const text = 'id,name,score\r\n1,"Smith, ""Jo""",2.5\r\n2,"multi\r\nline é€",-3e2\r\n3,café,\r\n';
    const bytes = new TextEncoder().encode(text);
    const whole = await parseCsv(text, 'w.csv');
    expect(whole.columns.get('name')).toEqual({ kind: 'string', values: ['Smith, "Jo"', 'multi\r\nline é€', 'café'] });
    for (const size of [1, 2, 3, 7]) {
      const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, k) =>
        bytes.subarray(k * size, (k + 1) * size),
      );
      expect(await parseCsvChunks(chunks, 'w.csv'), `chunks of ${size}`).toEqual(whole);
    }
  });

  it('keeps every cell of a column verbatim when a later cell makes it a string column', async () => {
    const t = await parseCsv('id,n\n007,1\n1e3,2\n,3\n8,4\nx9,5\n', 'ids.csv');
    expect(t.columns.get('id')).toEqual({ kind: 'string', values: ['007', '1e3', '', '8', 'x9'] });
    expect(t.columns.get('n')?.kind).toBe('number');
  });

  it('accepts CR line ends, and drops blank lines only at the end of the file', async () => {
    expect((await parseCsv('a,b\r1,2\r3,4\r', 'cr.csv')).numRows).toBe(2);
    expect((await parseCsv('a\n1\n\n\n', 'blank.csv')).numRows).toBe(1);
    await expect(parseCsv('a,b\n1,2\n\n3,4\n', 'mid.csv')).rejects.toThrow(/mid\.csv: data row 2 has 1 field/);
  });
});
