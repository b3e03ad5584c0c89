import { describe, expect, it } from 'vitest';
import { upliftAtK } from './uplift-at-k.js';

// Scores already descending, so the top k is the first k rows.
const y = [1, 0, 1, 0, 1, 1];
const t = [1, 1, 0, 0, 1, 0];
const s = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];

describe('uplift@k, overall', () => {
  it('hand-computed: top ⌊6·0.5⌋ = 3 rows → treated mean 0.5, control mean 1', () => {
    const r = upliftAtK(y, s, t, { k: 0.5, strategy: 'overall' });
    expect(r).toMatchObject({ nTreated: 2, nControl: 1, meanTreated: 0.5, meanControl: 1, value: -0.5, warnings: [] });
  });
  it('a count k: top 4 rows', () => {
    const r = upliftAtK(y, s, t, { k: 4 });
    expect(r.value).toBe(0.5 - 0.5);
    expect(r.nTreated + r.nControl).toBe(4);
  });
  it('k = 1 is the whole population (a fraction); kType count makes it one row', () => {
    const all = upliftAtK(y, s, t, { k: 1 });
    expect(all.nTreated + all.nControl).toBe(6);
    expect(all.value).toBeCloseTo(2 / 3 - 2 / 3, 12);
    const one = upliftAtK(y, s, t, { k: 1, kType: 'count' });
    expect(one.nTreated + one.nControl).toBe(1);
  });
  it('a top with no control row gives a defined 0 and a warning (scikit-uplift: NaN)', () => {
    const r = upliftAtK(y, s, t, { k: 2, strategy: 'overall' });
    expect(r.value).toBe(0);
    expect(r.meanControl).toBeNull();
    expect(r.meanTreated).toBe(0.5);
    expect(r.nControl).toBe(0);
    expect(r.warnings.some((w) => /no control/.test(w))).toBe(true);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r); // JSON round trip: no NaN anywhere
  });
  it('a top with no treated row likewise', () => {
    const r = upliftAtK([1, 0, 1], [0.9, 0.8, 0.1], [0, 0, 1], { k: 2 });
    expect(r.value).toBe(0);
    expect(r.meanTreated).toBeNull();
    expect(r.warnings.some((w) => /no treated/.test(w))).toBe(true);
  });
});

describe('uplift@k, by_group', () => {
  it('hand-computed: top ⌊3·0.5⌋ = 1 of each group', () => {
    // treated in score order: rows 0 (y1), 1 (y0), 4 (y1); control: rows 2 (y1), 3 (y0), 5 (y1)
    const r = upliftAtK(y, s, t, { k: 0.5, strategy: 'by_group' });
    expect(r).toMatchObject({ nTreated: 1, nControl: 1, meanTreated: 1, meanControl: 1, value: 0 });
  });
  it('a count k takes k of each group', () => {
    const r = upliftAtK(y, s, t, { k: 2, strategy: 'by_group' });
    expect(r).toMatchObject({ nTreated: 2, nControl: 2, meanTreated: 0.5, meanControl: 0.5, value: 0 });
  });
  it('k larger than a group is an error, as in scikit-uplift', () => {
    expect(() => upliftAtK(y, s, t, { k: 4, strategy: 'by_group' })).toThrow(/exceeds the 3 treated/);
  });
  it('a fraction that selects nobody of a group is an error', () => {
    expect(() => upliftAtK(y, s, t, { k: 0.2, strategy: 'by_group' })).toThrow(/selects no row/);
  });
});

describe('uplift@k: ties and tie order', () => {
  // Rows 0 and 1 tie; scikit-uplift's order (stable ascending sort, reversed) takes the LATER row first.
  const yt = [1, 0, 0, 1];
  const tt = [1, 1, 0, 0];
  const st = [0.5, 0.5, 0.2, 0.1];
  it('a cut inside a tie block takes the later row first and warns', () => {
    const r = upliftAtK(yt, st, tt, { k: 1, kType: 'count' });
    expect(r.meanTreated).toBe(0); // row 1, not row 0
    expect(r.warnings.some((w) => /equal scores/.test(w))).toBe(true);
  });
  it('a cut at a block end does not warn about ties', () => {
    const r = upliftAtK(yt, st, tt, { k: 3 });
    expect(r.warnings).toEqual([]);
    expect(r.value).toBe(0.5 - 0);
  });
});

describe('uplift@k: continuous outcome and input errors', () => {
  it('continuous outcome: top 2 = treated 2.5 and control 0.5', () => {
    expect(upliftAtK([2.5, 0.5, 1.0, 3.0], [0.4, 0.3, 0.2, 0.1], [1, 0, 1, 0], { k: 2 }).value).toBe(2);
  });
  it('bad k', () => {
    expect(() => upliftAtK(y, s, t, { k: 0 })).toThrow(/k must be > 0/);
    expect(() => upliftAtK(y, s, t, { k: 2.5 })).toThrow(/integer/);
    expect(() => upliftAtK(y, s, t, { k: 7 })).toThrow(/exceeds/);
    expect(() => upliftAtK(y, s, t, { k: 0.1 })).toThrow(/selects no row/);
    expect(() => upliftAtK(y, s, t, { k: 1.5, kType: 'fraction' })).toThrow(/\(0, 1\]/);
  });
});
