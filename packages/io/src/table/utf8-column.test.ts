import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { readUtf8Into, utf8Vector } from './utf8-column.js';

const ASCII = Array.from({ length: 1000 }, (_, i) => (i % 9 === 0 ? '' : `user-${i * 7919}`));
// Two- and three-byte characters, a surrogate pair, a lone surrogate (UTF-8 has no encoding for it: U+FFFD).
// The last two halves of 😀 in neighbouring strings: each alone is a lone surrogate.
const MIXED = [...ASCII.slice(0, 20), 'é', '✓x', 'a😀b', '\ud800', '', 'Zürich', 'plain', 'x\ud83d', '\ude00y'];

const bytesOf = (v: arrow.Vector) => {
  const d = v.data[0] as arrow.Data<arrow.Utf8>;
  // (Arrow's builder leaves spare capacity after the last offset.)
  const offsets = Array.from(d.valueOffsets.subarray(0, d.length + 1));
  return { offsets, values: Array.from(d.values.subarray(0, d.valueOffsets[d.length])) };
};

describe('utf8 columns in one call', () => {
  it.each([
    ['ASCII', ASCII],
    ['mixed', MIXED],
  ])('%s: the same offsets and bytes as Arrow’s own builder', (_, values) => {
    const ours = utf8Vector(values);
    const theirs = arrow.vectorFromArray(values, new arrow.Utf8());
    expect(ours.length).toBe(values.length);
    expect(bytesOf(ours)).toEqual(bytesOf(theirs));
  });

  it.each([
    ['ASCII', ASCII],
    ['mixed', MIXED],
  ])('%s: reads back what Vector.get reads, across chunks and slices', (_, values) => {
    const whole = arrow.vectorFromArray(values, new arrow.Utf8());
    // Two chunks, the second a slice whose offsets do not start at 0.
    const chunked = whole.slice(0, 7).concat(whole.slice(7));
    const out = new Array<string>(values.length + 2).fill('?');
    expect(readUtf8Into(chunked, out, 2)).toBe(true);
    expect(out.slice(0, 2)).toEqual(['?', '?']);
    expect(out.slice(2)).toEqual(Array.from({ length: values.length }, (_, i) => whole.get(i)));
  });

  it('nulls read as empty strings; other types are left to the caller', () => {
    const withNulls = arrow.vectorFromArray(['a', null, 'c'], new arrow.Utf8());
    const out = new Array<string>(3);
    expect(readUtf8Into(withNulls, out, 0)).toBe(true);
    expect(out).toEqual(['a', '', 'c']);
    expect(readUtf8Into(arrow.vectorFromArray([1, 2], new arrow.Int32()), [], 0)).toBe(false);
  });
});
