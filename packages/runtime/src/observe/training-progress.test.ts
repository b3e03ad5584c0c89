import { describe, expect, test } from 'vitest';
import { trainingProgressOf } from './training-progress.js';

describe('training progress', () => {
  test("a trainer's epoch report gives the method, the epoch and its finite losses", () => {
    const report = { method: 'bidfcl', pid: 7, epoch: 4, epochs: 10, lowerLoss: 0.5, upperLoss: -1.25, valLoss: NaN };
    expect(trainingProgressOf(report)).toEqual({ method: 'bidfcl', epoch: 4, losses: { lower: 0.5, upper: -1.25 } });
  });

  test('the report before the first epoch (no losses yet) still sets the epoch', () => {
    expect(trainingProgressOf({ method: 'tsm-rct', epoch: 0, epochs: 5 })).toEqual({
      method: 'tsm-rct',
      epoch: 0,
      losses: {},
    });
  });

  test("other progress (a feature builder's rows, a bare number) is no epoch report", () => {
    expect(trainingProgressOf({ rows: 100, validated: true })).toBeUndefined();
    expect(trainingProgressOf({ split: 'rct', parts: 3 })).toBeUndefined();
    expect(trainingProgressOf(42)).toBeUndefined();
    expect(trainingProgressOf(null)).toBeUndefined();
  });
});
