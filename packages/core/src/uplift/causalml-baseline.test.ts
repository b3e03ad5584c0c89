import { describe, expect, it } from 'vitest';
import { linspace } from './causalml-baseline.js';
import { cumGain, qiniCausalml } from './causalml-curves.js';
import { auucScoreCausalml, qiniScoreCausalml } from './causalml-scores.js';

// Fixture for CausalML's current qini_score / auuc_score, values derived by hand from the definitions in
// causalml-curves.ts and causalml-baseline.ts. Tolerance: 1e-9 relative, the one promised for
// `bidfcl metrics`.
//
// Rows (score, t, y), already in score order; ties (0.8, 0.6, 0.3) keep input order. The first three rows
// are treated: the Qini curve is undefined (no control yet) until k = 4.
//   k: 1    2    3    4    5    6    7    8    9    10   11   12
//   s: .9   .8   .8   .7   .6   .6   .5   .4   .3   .3   .2   .1
//   t: 1    1    1    0    1    0    1    0    1    0    0    0
//   y: 1    1    0    0    1    1    0    0    1    1    0    0
// qini(k) = Y_T − Y_C·N_T/N_C: k=4: 2 − 0 = 2; 5: 3; 6: 3 − 1·4/2 = 1; 7: 3 − 5/2 = 1/2; 8: 3 − 5/3 = 4/3;
// 9: 4 − 6/3 = 2; 10: 4 − 2·6/4 = 1; 11: 4 − 2·6/5 = 8/5; 12: 4 − 2·6/6 = 2.
// k = 1…3 interpolated from (0, 0) to (4, 2): 1/2, 1, 3/2. Σ_{k=0..12} qini = 523/30.
// Baseline 'line': k·2/12, Σ = 2·13/2 = 13. Score = (523/30 − 13)/13 = 133/390; normalised (÷ |2|): 133/780.
// lift(k) = Y_T/N_T − Y_C/N_C: k=4: 2/3; 5: 3/4; 6: 1/4; 7: 1/10; 8: 4/15; 9: 1/3; 10: 1/6; 11: 4/15; 12: 1/3;
// k = 1…3 interpolated: 1/6, 1/3, 1/2. gain = lift·k: 0, 1/6, 2/3, 3/2, 8/3, 15/4, 3/2, 7/10, 32/15, 3, 5/3,
// 44/15, 4. Σ = 1481/60. AUUC = Σ/13 = 1481/780; normalised (÷ 4): 1481/3120.
const s = [0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.5, 0.4, 0.3, 0.3, 0.2, 0.1];
const t = [1, 1, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0];
const y = [1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0];
const REL = 1e-9;
// relative; a wanted 0 must be met exactly
const close = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(REL * Math.abs(want));

describe("CausalML qini_score, baseline 'line' (current releases), hand-computed", () => {
  it('the Qini curve, with the leading undefined points interpolated', () => {
    const c = qiniCausalml(y, s, t, { baseline: 'line' });
    [0, 1 / 2, 1, 3 / 2, 2, 3, 1, 1 / 2, 4 / 3, 2, 1, 8 / 5, 2].forEach((v, k) => close(c.y[k]!, v));
    // the baseline attached to the curve is the chord from (0, 0) to (12, 2)
    c.random!.forEach((v, k) => close(v, (2 * k) / 12));
  });
  it('unnormalised: (523/30 − 13)/13 = 133/390', () => {
    const r = qiniScoreCausalml(y, s, t, { normalize: false });
    close(r.value, 133 / 390);
    close(r.randomArea!, 1);
    close(r.modelArea, 523 / 390);
  });
  it('normalised (the default): 133/780; the default baseline is the line', () => {
    close(qiniScoreCausalml(y, s, t).value, 133 / 780);
    expect(qiniScoreCausalml(y, s, t, { baseline: 'line' }).value).toBe(qiniScoreCausalml(y, s, t).value);
  });
  it("older releases' 'random10' gives a different number on the same table", () => {
    const old = qiniScoreCausalml(y, s, t, { baseline: 'random10' }).value;
    expect(Math.abs(old - 133 / 780)).toBeGreaterThan(1e-3);
  });
  it('ties keep input order: the treated 0.6 row before the control one (the other order gives 1/2 at k = 5)', () => {
    const tt = [...t];
    [tt[4], tt[5]] = [tt[5]!, tt[4]!]; // control first now; both respond, so y stays
    // k = 5: N_T = 3, Y_T = 2, N_C = 2, Y_C = 1 → 2 − 1·3/2
    expect(qiniCausalml(y, s, tt, { randomBaseline: false }).y[5]).toBe(1 / 2);
    expect(qiniCausalml(y, s, t, { randomBaseline: false }).y[5]).toBe(3);
  });
});

describe('CausalML auuc_score (unchanged by the baseline), hand-computed', () => {
  it('Σ gain / (n + 1): 1481/780 raw, 1481/3120 normalised', () => {
    close(auucScoreCausalml(y, s, t, { normalize: false }).value, 1481 / 780);
    close(auucScoreCausalml(y, s, t).value, 1481 / 3120);
    expect(auucScoreCausalml(y, s, t, { baseline: 'random10' }).value).toBe(auucScoreCausalml(y, s, t).value);
  });
  it("'line': the reported random area is the chord's, gain(n)/2 (raw) or 1/2 (normalised)", () => {
    close(auucScoreCausalml(y, s, t, { normalize: false }).randomArea!, 2);
    close(auucScoreCausalml(y, s, t).randomArea!, 0.5);
    expect(cumGain(y, s, t).random!.at(-1)).toBe(4);
  });
});

describe('linspace and option checks', () => {
  it('numpy linspace: first + k·step, last exact', () => {
    expect(Array.from(linspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(Array.from(linspace(0, 0.3, 4)).at(-1)).toBe(0.3);
    expect(Array.from(linspace(2, 9, 1))).toEqual([2]);
  });
  it('unknown baseline, or a random curve with the line baseline, are errors', () => {
    expect(() => qiniScoreCausalml(y, s, t, { baseline: 'mean' as never })).toThrow(/baseline/);
    expect(() => qiniScoreCausalml(y, s, t, { randomCurve: new Float64Array(13) })).toThrow(/random10/);
  });
});
