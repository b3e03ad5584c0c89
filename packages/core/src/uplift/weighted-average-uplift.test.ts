import { describe, expect, it } from 'vitest';
import { weightedAverageUplift } from './weighted-average-uplift.js';

const desc = (n: number): number[] => Array.from({ length: n }, (_, i) => n - i); // row order = score order

describe('weighted average uplift, overall', () => {
  it('hand-computed with two bins: (2·0.5 + 2·0) / 4 = 0.25', () => {
    const t = [1, 0, 1, 0, 1, 1, 0, 0];
    const y = [1, 0, 1, 1, 0, 1, 0, 1];
    const r = weightedAverageUplift(y, desc(8), t, { bins: 2 });
    expect(r.bins).toEqual([
      { nTreated: 2, nControl: 2, meanTreated: 1, meanControl: 0.5, uplift: 0.5 },
      { nTreated: 2, nControl: 2, meanTreated: 0.5, meanControl: 0.5, uplift: 0 },
    ]);
    expect(r.value).toBe(0.25);
    expect(r.warnings).toEqual([]);
  });
  it('bins sized as numpy array_split: 10 rows into 3 → 4, 3, 3', () => {
    const t = [1, 0, 1, 0, 1, 0, 1, 0, 1, 0];
    const y = new Array(10).fill(0);
    const r = weightedAverageUplift(y, desc(10), t, { bins: 3 });
    expect(r.bins.map((b) => b.nTreated + b.nControl)).toEqual([4, 3, 3]);
  });
  it('empty bins: a bin with one group only is left out, with a warning (scikit-uplift: NaN)', () => {
    const t = [1, 1, 0, 0, 1, 0, 1, 0];
    const y = [1, 1, 0, 0, 1, 0, 1, 1];
    const r = weightedAverageUplift(y, desc(8), t, { bins: 4 });
    expect(r.bins[0]).toEqual({ nTreated: 2, nControl: 0, meanTreated: 1, meanControl: null, uplift: null });
    expect(r.bins[1]).toEqual({ nTreated: 0, nControl: 2, meanTreated: null, meanControl: 0, uplift: null });
    expect(r.value).toBe((1 * 1 + 1 * 0) / 2);
    expect(r.warnings.join(' ')).toMatch(/bin\(s\) 0, 1/);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
  it('no bin with both groups: 0 and a warning', () => {
    const r = weightedAverageUplift([1, 0, 1, 0], desc(4), [1, 1, 0, 0], { bins: 2 });
    expect(r.value).toBe(0);
    expect(r.warnings.some((w) => /no bin/.test(w))).toBe(true);
  });
  it('continuous outcome, one bin = difference of group means', () => {
    const r = weightedAverageUplift([2.5, 0.5, 1.0, 3.0], desc(4), [1, 0, 1, 0], { bins: 1 });
    expect(r.value).toBe(1.75 - 1.75);
  });
  it('ties at a bin border: the later row goes to the earlier bin (scikit-uplift order)', () => {
    // rows 1 and 2 tie across the border of two bins of 2
    const r = weightedAverageUplift([0, 1, 0, 1], [0.9, 0.5, 0.5, 0.1], [1, 0, 1, 0], { bins: 2 });
    // order: 0, 2, 1, 3 → bin 0 = rows 0, 2 (both treated), bin 1 = rows 1, 3 (both control)
    expect(r.bins.map((b) => [b.nTreated, b.nControl])).toEqual([
      [2, 0],
      [0, 2],
    ]);
  });
});

describe('weighted average uplift, by_group', () => {
  it('each group cut into its own bins', () => {
    // treated rows in order: 0 (y1), 2 (y1), 4 (y0), 6 (y0); control: 1 (y0), 3 (y1), 5 (y0), 7 (y1)
    const t = [1, 0, 1, 0, 1, 0, 1, 0];
    const y = [1, 0, 1, 1, 0, 0, 0, 1];
    const r = weightedAverageUplift(y, desc(8), t, { bins: 2, strategy: 'by_group' });
    expect(r.bins).toEqual([
      { nTreated: 2, nControl: 2, meanTreated: 1, meanControl: 0.5, uplift: 0.5 },
      { nTreated: 2, nControl: 2, meanTreated: 0, meanControl: 0.5, uplift: -0.5 },
    ]);
    expect(r.value).toBe(0);
  });
  it('more bins than a group has rows: empty bins are defined', () => {
    const t = [1, 0, 0, 0, 0, 0];
    const r = weightedAverageUplift([1, 0, 0, 1, 0, 1], desc(6), t, { bins: 3, strategy: 'by_group' });
    expect(r.bins[0]).toMatchObject({ nTreated: 1, nControl: 2, uplift: 1 - 0 });
    expect(r.bins[1]).toMatchObject({ nTreated: 0, uplift: null });
    expect(r.value).toBe(1);
    expect(r.warnings.length).toBe(1);
  });
});

describe('weighted average uplift: input errors', () => {
  it('bins must be a positive integer smaller than the rows', () => {
    expect(() => weightedAverageUplift([0, 1, 0], [3, 2, 1], [1, 0, 1], { bins: 0 })).toThrow(/positive integer/);
    expect(() => weightedAverageUplift([0, 1, 0], [3, 2, 1], [1, 0, 1], { bins: 3 })).toThrow(/smaller/);
  });
});
