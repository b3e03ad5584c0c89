import { describe, expect, test } from 'vitest';
import { readArrowTable } from '../table/parquet.js';
import { decodeScoreMatrix, encodeScoreMatrix } from './score-matrix.js';

describe('score matrix files', () => {
  const s = { n: 2, m: 2, r: Float64Array.from([1, 2, 3, 4]), c: Float64Array.from([0, 0.5, 0, 1.5]) };

  test('name their rows (user_id, first) and arms (metadata), and decode to the same scores', () => {
    const bytes = encodeScoreMatrix(s, { userId: ['u9', 'u2'], arms: ['none', 'coupon'] });
    const t = readArrowTable(bytes, 'scores');
    expect(t.schema.fields.map((f) => f.name)).toEqual(['user_id', 'r_0', 'c_0', 'r_1', 'c_1']);
    expect(t.getChild('user_id')!.toArray()).toEqual(['u9', 'u2']);
    expect(JSON.parse(t.schema.metadata.get('bidfcl.arms')!)).toEqual(['none', 'coupon']);
    expect(decodeScoreMatrix(bytes, 2, 'scores')).toEqual(s);
  });

  test('labels that do not fit the scores are refused', () => {
    expect(() => encodeScoreMatrix(s, { userId: ['u1'] })).toThrow(/1 user ids for 2 rows/);
    expect(() => encodeScoreMatrix(s, { arms: ['a', 'b', 'c'] })).toThrow(/3 arm names for 2 arms/);
  });
});
