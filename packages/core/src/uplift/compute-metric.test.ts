import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.js';
import { auccFromRoi } from './aucc.js';
import { auucScoreCausalml, qiniScoreCausalml } from './causalml-scores.js';
import { computeMetric, thinCurve } from './compute-metric.js';
import { qiniAucScore, upliftAucScore } from './sklift-scores.js';
import { upliftAtK } from './uplift-at-k.js';

/** A three-arm table (arms 0, 1, 2) with two score columns. */
function table(n: number, seed: number) {
  const rng = createRng(seed);
  const treatment = new Float64Array(n);
  const outcome = new Float64Array(n);
  const cost = new Float64Array(n);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    treatment[i] = i < 3 ? i : rng.int(3);
    const x = rng.next();
    outcome[i] = rng.next() < 0.2 + 0.3 * x * (treatment[i]! > 0 ? 1 : 0) ? 1 : 0;
    cost[i] = treatment[i]! * (0.5 + rng.next());
    a[i] = x;
    b[i] = rng.next();
  }
  return { treatment, outcome, cost, scores: { a, b } };
}

/** The rows of the two chosen arms, recoded 0/1, for calling the metric functions directly. */
function twoArms(tab: ReturnType<typeof table>, control: number, treated: number) {
  const rows = [...tab.treatment.keys()].filter((i) => tab.treatment[i] === control || tab.treatment[i] === treated);
  const pick = (col: Float64Array) => Float64Array.from(rows, (i) => col[i]!);
  return {
    t: Float64Array.from(rows, (i) => (tab.treatment[i] === treated ? 1 : 0)),
    y: pick(tab.outcome),
    c: pick(tab.cost),
    a: pick(tab.scores.a),
    b: pick(tab.scores.b),
    dropped: tab.treatment.length - rows.length,
  };
}

describe('computeMetric: arms', () => {
  const tab = table(600, 1);
  it('multi-arm table: the named treated arm is compared with control 0, other rows dropped with a warning', () => {
    const rep = computeMetric(tab, { metric: 'qini', treated: 2 });
    const d = twoArms(tab, 0, 2);
    expect(rep.rows.dropped).toBe(d.dropped);
    expect(rep.rows.used).toBe(d.t.length);
    expect(rep.treated).toBe(2);
    expect(rep.warnings[0]).toMatch(/dropped \d+ rows of arm\(s\) 1/);
    expect(rep.perScore.a!.value).toBe(qiniAucScore(d.y, d.a, d.t).value);
    expect(rep.perScore.b!.value).toBe(qiniAucScore(d.y, d.b, d.t).value);
  });
  it('a non-zero control arm', () => {
    const rep = computeMetric(tab, { metric: 'auuc', control: 1, treated: 2 });
    const d = twoArms(tab, 1, 2);
    expect(rep.perScore.a!.value).toBe(upliftAucScore(d.y, d.a, d.t).value);
  });
  it('more than two arms without a treated arm is an error listing the arms', () => {
    expect(() => computeMetric(tab, { metric: 'qini' })).toThrow(/more than two arms \(0, 1, 2\)/);
  });
  it('two arms: treated defaults to the other value', () => {
    const two = { ...tab, treatment: tab.treatment.map((v) => (v === 2 ? 7 : v === 1 ? 0 : v)) };
    const rep = computeMetric(two, { metric: 'qini' });
    expect(rep.treated).toBe(7);
    expect(rep.rows.dropped).toBe(0);
    expect(rep.warnings).toEqual([]);
  });
  it('no control rows', () => {
    expect(() =>
      computeMetric({ ...tab, treatment: tab.treatment.map((v) => v + 1) }, { metric: 'qini', treated: 2 }),
    ).toThrow(/no control rows/);
  });
  it('no treated rows', () => {
    expect(() => computeMetric({ ...tab, treatment: new Float64Array(600) }, { metric: 'qini' })).toThrow(
      /no treated rows/,
    );
  });
});

describe('computeMetric: validation names the column and row', () => {
  const tab = table(100, 2);
  it('length mismatch', () => {
    expect(() =>
      computeMetric({ ...tab, scores: { a: tab.scores.a.subarray(1) } }, { metric: 'qini', treated: 1 }),
    ).toThrow(/score column 'a' has 99/);
  });
  it('NaN score: column and first bad row (input numbering)', () => {
    const b = Float64Array.from(tab.scores.b);
    const row = [...tab.treatment.keys()].find((i) => i > 10 && tab.treatment[i] !== 2)!;
    b[row] = NaN;
    b[row + 50] = NaN;
    expect(() => computeMetric({ ...tab, scores: { a: tab.scores.a, b } }, { metric: 'qini', treated: 1 })).toThrow(
      new RegExp(`score column 'b' is NaN at row ${row}$`),
    );
  });
  it('AUCC needs a cost column', () => {
    const { cost: _cost, ...noCost } = tab;
    expect(() => computeMetric(noCost, { metric: 'aucc', treated: 1 })).toThrow(/cost column/);
  });
  it('no score columns', () => {
    expect(() => computeMetric({ ...tab, scores: {} }, { metric: 'qini', treated: 1 })).toThrow(/no score columns/);
  });
});

describe('computeMetric: dispatch', () => {
  const tab = table(800, 3);
  const d = twoArms(tab, 0, 1);
  it('causalml qini and auuc equal the direct calls; the random baseline is reported once', () => {
    const q = computeMetric(tab, { metric: 'qini', convention: 'causalml', treated: 1 });
    expect(q.convention).toBe('causalml');
    expect(q.perScore.a!.value).toBeCloseTo(qiniScoreCausalml(d.y, d.a, d.t).value, 12);
    expect(q.perScore.a!.curve!.x).toHaveLength(d.t.length + 1);
    expect(q.randomBaseline!.curve.y).toHaveLength(d.t.length + 1);
    const u = computeMetric(tab, { metric: 'auuc', convention: 'causalml', treated: 1, normalize: false });
    const direct = auucScoreCausalml(d.y, d.b, d.t, { normalize: false });
    expect(u.perScore.b!.value).toBeCloseTo(direct.value, 12);
    expect(u.randomBaseline!.value).toBeCloseTo(direct.randomArea!, 12);
  });
  it("causalml baseline: 'line' by default, 'random10' on request, recorded in details", () => {
    const line = computeMetric(tab, { metric: 'qini', convention: 'causalml', treated: 1 });
    expect(line.perScore.a!.details!.baseline).toBe('line');
    const old = computeMetric(tab, { metric: 'qini', convention: 'causalml', treated: 1, baseline: 'random10' });
    expect(old.perScore.a!.details!.baseline).toBe('random10');
    expect(old.perScore.a!.value).toBeCloseTo(qiniScoreCausalml(d.y, d.a, d.t, { baseline: 'random10' }).value, 12);
    expect(old.perScore.a!.value).not.toBeCloseTo(line.perScore.a!.value, 6);
    expect(() =>
      computeMetric(tab, { metric: 'qini', convention: 'causalml', treated: 1, baseline: 'x' as never }),
    ).toThrow(/baseline/);
  });
  it("aucc checkpoints: 'first-row' by default, 'interpolated' on request", () => {
    const exact = computeMetric(tab, { metric: 'aucc', treated: 1, quantiles: 50 });
    expect(exact.perScore.a!.details!.checkpoints).toBe('first-row');
    const interp = computeMetric(tab, { metric: 'aucc', treated: 1, quantiles: 50, checkpoints: 'interpolated' });
    expect(interp.perScore.a!.value).toBe(
      auccFromRoi(d.a, d.t, d.y, d.c, { quantiles: 50, checkpoints: 'interpolated' }).aucc,
    );
    expect(interp.perScore.a!.value).not.toBe(exact.perScore.a!.value);
  });
  it('uplift-at-k: default k 0.3, overall; convention causalml warned about', () => {
    const r = computeMetric(tab, { metric: 'uplift-at-k', treated: 1, convention: 'causalml' });
    expect(r.perScore.a!.value).toBe(upliftAtK(d.y, d.a, d.t, { k: 0.3, strategy: 'overall' }).value);
    expect(r.convention).toBe('sklift');
    expect(r.warnings.some((w) => /convention causalml ignored/.test(w))).toBe(true);
  });
  it('aucc: each score column is a predicted ROI', () => {
    const r = computeMetric(tab, { metric: 'aucc', treated: 1, quantiles: 50 });
    expect(r.convention).toBe('dfcl');
    expect(r.perScore.a!.value).toBe(auccFromRoi(d.a, d.t, d.y, d.c, { quantiles: 50 }).aucc);
    expect(r.perScore.a!.curve!.x).toHaveLength(51);
  });
  it('weighted-average-uplift with bins', () => {
    const r = computeMetric(tab, { metric: 'weighted-average-uplift', treated: 1, bins: 5 });
    expect((r.perScore.a!.details!.bins as unknown[]).length).toBe(5);
  });
  it('per-score warnings carry the column name; the report is plain JSON', () => {
    const flat = { ...tab, scores: { flat: new Float64Array(800) } };
    const r = computeMetric(flat, { metric: 'uplift-at-k', treated: 1, k: 0.1 });
    expect(r.warnings.some((w) => w.startsWith('flat: uplift@k'))).toBe(true);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
  it('maxCurvePoints thins curves but not values', () => {
    const full = computeMetric(tab, { metric: 'qini', convention: 'causalml', treated: 1 });
    const thin = computeMetric(tab, { metric: 'qini', convention: 'causalml', treated: 1, maxCurvePoints: 11 });
    expect(thin.perScore.a!.curve!.x).toHaveLength(11);
    expect(thin.perScore.a!.curve!.x[10]).toBe(full.perScore.a!.curve!.x.at(-1));
    expect(thin.perScore.a!.value).toBe(full.perScore.a!.value);
  });
});

describe('thinCurve', () => {
  it('keeps first and last, evenly spaced indices', () => {
    const c = { x: [0, 1, 2, 3, 4, 5, 6, 7, 8], y: [0, 10, 20, 30, 40, 50, 60, 70, 80] };
    expect(thinCurve(c, 5)).toEqual({ x: [0, 2, 4, 6, 8], y: [0, 20, 40, 60, 80] });
    expect(thinCurve(c, 100)).toBe(c);
    expect(() => thinCurve(c, 1)).toThrow();
  });
});
