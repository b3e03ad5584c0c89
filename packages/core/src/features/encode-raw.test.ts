import { describe, expect, it } from 'vitest';
import { encodeRawFeatures, type RawFeatureColumn } from './encode-raw.js';

const enc = {
  featureNames: ['a', 'b', 'seg=x', 'seg=y'],
  mean: [1, 0, 0, 0],
  std: [2, 1, 1, 1],
  vocab: { seg: ['x', 'y'] },
};
const num = (...v: number[]): RawFeatureColumn => ({ kind: 'number', values: Float64Array.from(v) });
const str = (...v: string[]): RawFeatureColumn => ({ kind: 'string', values: v });

describe('encodeRawFeatures', () => {
  it('standardises with the stored statistics and one-hot encodes with the stored vocabulary (rows start…end)', () => {
    const cols = new Map([
      ['a', num(9, 3, 5)],
      ['b', num(0, 1, 2)],
      ['seg', str('q', 'y', 'x')],
      ['extra', str('ignored', '', '')],
    ]);
    expect(Array.from(encodeRawFeatures(cols, enc, 1, 3, 'users.csv'))).toEqual([1, 1, 0, 1, 2, 2, 1, 0]);
  });

  it('names the file and every missing column', () => {
    expect(() => encodeRawFeatures(new Map([['a', num(1)]]), enc, 0, 1, 'u.parquet')).toThrow(
      'u.parquet lacks feature column(s) b, seg',
    );
  });

  it('names the column and 1-based row of a non-numeric feature', () => {
    const cols = new Map([
      ['a', num(1, 2)],
      ['b', str('1', 'oops')],
      ['seg', str('x', 'x')],
    ]);
    expect(() => encodeRawFeatures(cols, enc, 0, 2, 'u.csv')).toThrow(
      "u.csv: feature column 'b' is not numeric at row 2 ('oops')",
    );
  });
});
