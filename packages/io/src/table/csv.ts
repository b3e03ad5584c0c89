import { parse, type CsvError } from 'csv-parse';
import { CsvColumnBuilder } from './csv-columns.js';
import type { RawColumn, RawTable } from './raw-table.js';
import { excerpt, snippet } from './snippet.js';

export { parseNumberCell } from './csv-columns.js';

/** Bytes handed to the parser at a time: the file is never decoded into one string. */
const CHUNK_BYTES = 1 << 20;

/** Builds the table record by record: the header, then each data row into its columns. */
class TableBuilder {
  private header: string[] | undefined;
  private columns: CsvColumnBuilder[] = [];
  private rows = 0;
  /** Blank lines seen since the last row: rows if a row follows, dropped at the end of the file. */
  private blanks = 0;

  constructor(private readonly what: string) {}

  add(record: string[]): void {
    const blank = record.length === 1 && record[0] === '';
    if (!this.header) {
      if (blank) throw new Error(`${this.what}: empty CSV; a header row naming the columns is required`);
      this.setHeader(record);
      return;
    }
    if (blank) {
      this.blanks += 1;
      return;
    }
    for (; this.blanks > 0; this.blanks--) this.addRow(['']);
    this.addRow(record);
  }

  private setHeader(header: string[]): void {
    const seen = new Set<string>();
    for (const name of header) {
      if (seen.has(name)) throw new Error(`${this.what}: duplicate column name ${snippet(name, 40)} in the header`);
      seen.add(name);
    }
    this.header = header;
    this.columns = header.map(() => new CsvColumnBuilder());
  }

  private addRow(record: string[]): void {
    const header = this.header!;
    this.rows += 1;
    if (record.length !== header.length)
      throw new Error(
        `${this.what}: data row ${this.rows} has ${record.length} field(s), ` +
          `the header has ${header.length} (${excerpt(header.join(', '))})`,
      );
    record.forEach((cell, c) => this.columns[c]!.add(cell));
  }

  finish(): RawTable {
    if (!this.header) throw new Error(`${this.what}: empty CSV; a header row naming the columns is required`);
    const columns = new Map<string, RawColumn>();
    this.header.forEach((name, c) => columns.set(name, this.columns[c]!.finish()));
    return { numRows: this.rows, columns };
  }
}

/** csv-parse's errors in the words the reader has always used, naming the file and the line. */
function csvErrorMessage(err: CsvError, what: string, recordStartLine: number): string {
  if (err.code === 'CSV_QUOTE_NOT_CLOSED')
    return `${what}: unterminated quoted field starting on line ${recordStartLine}`;
  if (err.code === 'CSV_INVALID_CLOSING_QUOTE') {
    const got = /got "(.)"/su.exec(err.message)?.[1];
    return (
      `${what}: unexpected character ${got === undefined ? '' : `${snippet(got)} `}after a closing quote on line ` +
      `${err.lines} (a quote inside a quoted field must be doubled: "")`
    );
  }
  if (err.code === 'INVALID_OPENING_QUOTE')
    return (
      `${what}: a quote inside an unquoted field on line ${err.lines} (RFC 4180: quote the whole field and double ` +
      'the quote, e.g. "5"" screen")'
    );
  return `${what}: ${err.message}`;
}

/**
 * Parses CSV (RFC 4180: comma-separated, double-quoted fields with "" escapes, CRLF, LF or CR line ends; a header
 * row is required) from byte chunks into a {@link RawTable}, streaming: the chunks are decoded as strict UTF-8
 * and parsed by csv-parse as they come, and each record goes straight into typed columns. A column is numeric when
 * every non-empty cell is a number literal (including NaN/Infinity spellings); empty cells in numeric columns
 * become NaN. Every other column stays strings, so validation can name the first offending cell. Invalid UTF-8 or
 * NUL bytes (binary files, or text in another encoding) are rejected. `what` names the file in errors.
 */
export async function parseCsvChunks(
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  what = 'input',
): Promise<RawTable> {
  const table = new TableBuilder(what);
  let failure: Error | undefined;
  let recordStartLine = 1;
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: false,
    record_delimiter: ['\r\n', '\n', '\r'],
    // Each record is consumed here, so none is queued in the stream.
    on_record: (record: string[], context) => {
      try {
        if (!failure) table.add(record);
      } catch (err) {
        failure = err as Error;
      }
      recordStartLine = context.lines + 1;
      return null;
    },
  });
  // Settles when the parser ends, fails (a broken quote) or is destroyed (a failure of ours): awaited last, and
  // raced with 'drain' so that a parser failing mid-file does not leave a write waiting for a drain never coming.
  const settled = new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('close', resolve);
    parser.on('error', (err: CsvError) => reject(new Error(csvErrorMessage(err, what, recordStartLine))));
  });
  settled.catch(() => undefined); // observed below; never an unhandled rejection meanwhile
  parser.resume();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let chars = 0;
  const feed = async (text: string) => {
    const nul = text.indexOf('\0');
    if (nul >= 0)
      throw new Error(
        `${what} is not a CSV text file: it contains a NUL byte at character ${chars + nul + 1} (binary data?)`,
      );
    chars += text.length;
    if (!parser.write(text)) await Promise.race([new Promise((resolve) => parser.once('drain', resolve)), settled]);
  };
  try {
    for await (const chunk of chunks) {
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        throw new Error(`${what} is not a UTF-8 CSV text file (invalid UTF-8; binary data, or another text encoding?)`);
      }
      await feed(text);
      if (failure) break;
    }
    if (!failure) await feed(decoder.decode());
    parser.end();
    await settled;
  } catch (err) {
    parser.destroy();
    throw err;
  }
  if (failure) throw failure;
  return table.finish();
}

/** `bytes` in chunks of CHUNK_BYTES (views, no copies). */
function* chunksOf(bytes: Uint8Array): Generator<Uint8Array> {
  for (let at = 0; at < bytes.byteLength; at += CHUNK_BYTES) yield bytes.subarray(at, at + CHUNK_BYTES);
}

/** Parses CSV bytes (see {@link parseCsvChunks}). */
export function parseCsvBytes(bytes: Uint8Array, what = 'input'): Promise<RawTable> {
  return parseCsvChunks(chunksOf(bytes), what);
}

/** Parses CSV text (see {@link parseCsvChunks}). */
export function parseCsv(text: string, what = 'input'): Promise<RawTable> {
  return parseCsvBytes(new TextEncoder().encode(text), what);
}
