import { describe, expect, it } from 'vitest';
import { perfectUpliftScore } from './sklift-curves.js';
import { qiniAucScore, upliftAucScore } from './sklift-scores.js';

// A population with a harmed subgroup:
// rows 0–5 "helped": 3 treated responders + 3 control non-responders (uplift +1),
// rows 6–7 "harmed": 1 treated non-responder + 1 control responder (uplift −1).
const y = [1, 1, 1, 0, 0, 0, 0, 1];
const t = [1, 1, 1, 0, 0, 0, 1, 0];
const good = [0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.1, 0.1]; // helped first
const bad = [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.9, 0.9]; // harmed first

describe('uplift_auc_score', () => {
  it('public fixture: y=[0,1], uplift=[.1,.3], t=[1,0] gives 0 (docs/method.md §4)', () => {
    expect(upliftAucScore([0, 1], [0.1, 0.3], [1, 0]).value).toBe(0);
  });
  it('hand-computed: helped-first model scores 12 / 12.25', () => {
    // model curve [0,6,8]/[0,6,4]: area 28; perfect [0,3,6,7,8]/[0,3,6,5.25,4]: 28.25; random line to (8,4): 16
    const r = upliftAucScore(y, good, t);
    expect(r.area).toBeCloseTo(12, 12);
    expect(r.perfectArea).toBeCloseTo(12.25, 12);
    expect(r.baselineArea).toBe(16);
    expect(r.value).toBeCloseTo(48 / 49, 12);
    expect(r.warnings).toEqual([]);
  });
  it('the perfect ordering scores exactly 1', () => {
    expect(upliftAucScore(y, perfectUpliftScore(y, t), t).value).toBeCloseTo(1, 12);
  });
});

describe('qini_auc_score with a negative-effect subgroup', () => {
  it('negativeEffect = true: the perfect model also finds the harmed rows, so 6/11', () => {
    // model [0,6,8]/[0,3,2] area 14; perfect [0,3,7,8]/[0,3,3,2] area 19; random line to (8,2) area 8
    const r = qiniAucScore(y, good, t, { negativeEffect: true });
    expect(r.area).toBeCloseTo(6, 12);
    expect(r.perfectArea).toBeCloseTo(11, 12);
    expect(r.value).toBeCloseTo(6 / 11, 12);
  });
  it("negativeEffect = false: the perfect curve [0,2,8]/[0,2,2] has the model's area, so 1", () => {
    expect(qiniAucScore(y, good, t, { negativeEffect: false }).value).toBeCloseTo(1, 12);
  });
  it('default is negativeEffect = true', () => {
    expect(qiniAucScore(y, good, t).value).toBe(qiniAucScore(y, good, t, { negativeEffect: true }).value);
  });
  it('ranking the harmed first is worse than random under both perfect curves', () => {
    // model [0,2,8]/[0,−1,2] area 2 → 2 − 8 = −6
    expect(qiniAucScore(y, bad, t, { negativeEffect: true }).value).toBeCloseTo(-6 / 11, 12);
    expect(qiniAucScore(y, bad, t, { negativeEffect: false }).value).toBeCloseTo(-1, 12);
  });
  it('warns when the total Qini value is negative under negativeEffect = false', () => {
    // treatment harms on average: treated 0 of 2 respond, control 2 of 2
    const r = qiniAucScore([0, 0, 1, 1], [0.4, 0.3, 0.2, 0.1], [1, 1, 0, 0], { negativeEffect: false });
    expect(r.warnings.some((w) => /outside/.test(w))).toBe(true);
    expect(Number.isFinite(r.value)).toBe(true);
  });
});

describe('scikit-uplift scores: ties', () => {
  // The helped/harmed blocks are ties; any order inside them gives the same score.
  it('permuting rows inside tie blocks leaves the score unchanged', () => {
    const perm = [5, 3, 1, 0, 4, 2, 7, 6];
    const y2 = perm.map((i) => y[i]!);
    const t2 = perm.map((i) => t[i]!);
    const g2 = perm.map((i) => good[i]!);
    expect(qiniAucScore(y2, g2, t2).value).toBe(qiniAucScore(y, good, t).value);
    expect(upliftAucScore(y2, g2, t2).value).toBe(upliftAucScore(y, good, t).value);
  });
  it('breaking a tie changes the score (the block rule is doing work)', () => {
    const tied = qiniAucScore(y, good, t).value;
    const brokenUp = good.map((s, i) => s + (i < 3 ? 1e-3 : 0)); // treated responders first inside the block
    expect(qiniAucScore(y, brokenUp, t).value).toBeGreaterThan(tied + 1e-6);
  });
});

describe('scikit-uplift scores: continuous outcomes', () => {
  const yc = [2.5, 0.5, 1.0, 3.0, 0.0, 1.5];
  const tc = [1, 0, 1, 0, 1, 0];
  it('qini AUC of the perfect ordering (y for treated, −y for control) is 1', () => {
    const perfect = yc.map((v, i) => (tc[i] === 1 ? v : -v));
    expect(qiniAucScore(yc, perfect, tc).value).toBeCloseTo(1, 12);
  });
  it('uplift AUC warns that its perfect curve is generalised', () => {
    const r = upliftAucScore(yc, [0.6, 0.5, 0.4, 0.3, 0.2, 0.1], tc);
    expect(Number.isFinite(r.value)).toBe(true);
    expect(r.warnings.some((w) => /non-binary/.test(w))).toBe(true);
  });
  it('hand-computed qini AUC on a continuous outcome: 7 / 8.5', () => {
    // model curve [0,2.5,2,2.5,0] area 7; perfect order rows 0,2,1,3 → [0,2.5,3.5,2.5,0] area 8.5; total 0
    const r = qiniAucScore([2.5, 0.5, 1.0, 3.0], [0.4, 0.3, 0.2, 0.1], [1, 0, 1, 0]);
    expect(r.baselineArea).toBe(0);
    expect(r.area).toBeCloseTo(7, 12);
    expect(r.perfectArea).toBeCloseTo(8.5, 12);
    expect(r.value).toBeCloseTo(14 / 17, 12);
  });
});

describe('scikit-uplift scores: degenerate normaliser', () => {
  it("a perfect curve with the random line's area gives 0 and a warning, not NaN", () => {
    // nobody responds: every curve is flat at 0
    const r = qiniAucScore([0, 0, 0, 0], [0.4, 0.3, 0.2, 0.1], [1, 0, 1, 0]);
    expect(r.value).toBe(0);
    expect(r.warnings.length).toBe(1);
  });
});
