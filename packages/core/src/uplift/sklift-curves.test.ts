import { describe, expect, it } from 'vitest';
import { perfectQiniCurve, perfectUpliftCurve, qiniCurve, upliftCurve } from './sklift-curves.js';

/** Tiny deterministic generator for test data (LCG, Numerical Recipes constants). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(1664525, s) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('scikit-uplift curves: public fixture (docs/method.md §4)', () => {
  const uplift = [0, 0, 0];
  const y = [0, 1, 0];
  const t = [0, 1, 1];
  it('qini curve x [0, 3], y [0, 1]', () => {
    expect(qiniCurve(y, uplift, t)).toEqual({ x: [0, 3], y: [0, 1] });
  });
  it('uplift curve x [0, 3], y [0, 1.5]', () => {
    expect(upliftCurve(y, uplift, t)).toEqual({ x: [0, 3], y: [0, 1.5] });
  });
});

describe('scikit-uplift curves: brute force on distinct scores', () => {
  it('every point equals the direct prefix computation', () => {
    const rnd = lcg(11);
    const n = 40;
    const y: number[] = [];
    const t: number[] = [];
    const s: number[] = [];
    for (let i = 0; i < n; i++) {
      y.push(rnd() < 0.4 ? 1 : 0);
      t.push(i < 2 ? i : rnd() < 0.5 ? 1 : 0); // both groups present
      s.push(rnd());
    }
    const qc = qiniCurve(y, s, t);
    const uc = upliftCurve(y, s, t);
    const sorted = [...Array(n).keys()].sort((a, b) => s[b]! - s[a]!);
    expect(qc.x).toEqual([...Array(n + 1).keys()]);
    for (let m = 1; m <= n; m++) {
      const top = sorted.slice(0, m);
      const tr = top.filter((i) => t[i] === 1);
      const ct = top.filter((i) => t[i] === 0);
      const yt = tr.reduce((a, i) => a + y[i]!, 0);
      const yc = ct.reduce((a, i) => a + y[i]!, 0);
      const mt = tr.length ? yt / tr.length : 0;
      const mc = ct.length ? yc / ct.length : 0;
      expect(uc.y[m]).toBeCloseTo((mt - mc) * m, 12);
      expect(qc.y[m]).toBeCloseTo(yt - (ct.length ? (yc * tr.length) / ct.length : 0), 12);
    }
  });
});

describe('scikit-uplift curves: ties', () => {
  // Rows 0 and 1 tie. Taken in one order the prefix of one row holds a treated responder, in the other a
  // control non-responder: a per-row curve would differ, the tie-block curve must not.
  const y = [1, 0, 1, 0];
  const t = [1, 0, 0, 1];
  const s = [0.5, 0.5, 0.2, 0.1];
  it('one point at the end of the tie block, none inside it', () => {
    expect(upliftCurve(y, s, t).x).toEqual([0, 2, 3, 4]);
    expect(qiniCurve(y, s, t).x).toEqual([0, 2, 3, 4]);
  });
  it('swapping the tied rows changes nothing', () => {
    const perm = [1, 0, 2, 3];
    const y2 = perm.map((i) => y[i]!);
    const t2 = perm.map((i) => t[i]!);
    const s2 = perm.map((i) => s[i]!);
    expect(upliftCurve(y2, s2, t2)).toEqual(upliftCurve(y, s, t));
    expect(qiniCurve(y2, s2, t2)).toEqual(qiniCurve(y, s, t));
  });
  it('breaking the tie either way gives different curves (so the block rule matters)', () => {
    const up = qiniCurve(y, [0.51, 0.5, 0.2, 0.1], t);
    const down = qiniCurve(y, [0.5, 0.51, 0.2, 0.1], t);
    expect(up.y[1]).toBe(1); // treated responder first
    expect(down.y[1]).toBe(0); // control non-responder first
  });
});

describe('scikit-uplift curves: continuous outcome, hand-computed', () => {
  const y = [2.5, 0.5, 1.0, 3.0];
  const t = [1, 0, 1, 0];
  const s = [0.4, 0.3, 0.2, 0.1];
  it('uplift curve', () => {
    // (mean_T − mean_C)·m: 2.5·1, (2.5 − 0.5)·2, (1.75 − 0.5)·3, (1.75 − 1.75)·4
    const c = upliftCurve(y, s, t);
    expect(c.x).toEqual([0, 1, 2, 3, 4]);
    expect(c.y).toEqual([0, 2.5, 4, 3.75, 0]);
  });
  it('qini curve', () => {
    // Y_T − Y_C·n_T/n_C (0 where no control): 2.5, 2.5 − 0.5, 3.5 − 0.5·2, 3.5 − 3.5
    expect(qiniCurve(y, s, t).y).toEqual([0, 2.5, 2, 2.5, 0]);
  });
});

describe('scikit-uplift perfect curves', () => {
  // 3 treated responders, 3 control non-responders, 1 treated non-responder, 1 control responder.
  const y = [1, 1, 1, 0, 0, 0, 0, 1];
  const t = [1, 1, 1, 0, 0, 0, 1, 0];
  it('perfect uplift curve: TR, CN, TN, CR (CR count does not exceed TN count)', () => {
    const c = perfectUpliftCurve(y, t);
    expect(c.x).toEqual([0, 3, 6, 7, 8]);
    expect(c.y).toEqual([0, 3, 6, 5.25, 4]);
  });
  it('perfect uplift curve: CR before TN when control responders outnumber treated non-responders', () => {
    // 1 TR, 2 CR, 1 TN, 1 CN: order TR(3), CN(2), CR(1), TN(0)
    const y2 = [1, 1, 1, 0, 0];
    const t2 = [1, 0, 0, 1, 0];
    const c = perfectUpliftCurve(y2, t2);
    expect(c.x).toEqual([0, 1, 2, 4, 5]);
    // after TR: 1·1; +CN: (1 − 0)·2; +2 CR: (1 − 2/3)·4; +TN: (0.5 − 2/3)·5
    expect(c.y[1]).toBe(1);
    expect(c.y[2]).toBe(2);
    expect(c.y[3]).toBeCloseTo(4 / 3, 12);
    expect(c.y[4]).toBeCloseTo(-5 / 6, 12);
  });
  it('perfect Qini curve with negative effect ranks treated by y, control by −y', () => {
    expect(perfectQiniCurve(y, t)).toEqual({ x: [0, 3, 7, 8], y: [0, 3, 3, 2] });
  });
  it('perfect Qini curve without negative effect: slope 1 to the total, then flat', () => {
    expect(perfectQiniCurve(y, t, { negativeEffect: false })).toEqual({ x: [0, 2, 8], y: [0, 2, 2] });
  });
  it('no-negative-effect perfect curve refuses a continuous outcome', () => {
    expect(() => perfectQiniCurve([0.5, 1, 2], [1, 0, 1], { negativeEffect: false })).toThrow(/binary outcome/);
  });
});

describe('scikit-uplift curves: input errors', () => {
  it('length mismatch', () => {
    expect(() => upliftCurve([0, 1], [0.1, 0.2, 0.3], [0, 1])).toThrow(/length mismatch/);
  });
  it('no control rows', () => {
    expect(() => qiniCurve([0, 1], [0.1, 0.2], [1, 1])).toThrow(/no control/);
  });
  it('NaN score names the row', () => {
    expect(() => qiniCurve([0, 1, 0], [0.1, NaN, 0.2], [1, 0, 1])).toThrow(/score is NaN at row 1/);
  });
  it('treatment other than 0/1', () => {
    expect(() => qiniCurve([0, 1, 0], [0.1, 0.2, 0.3], [1, 0, 2])).toThrow(/row 2/);
  });
});
