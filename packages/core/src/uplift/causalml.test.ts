import { describe, expect, it } from 'vitest';
import { CAUSALML_RANDOM_COLUMNS, causalmlRandomCurve, cumGain, cumLift, qiniCausalml } from './causalml-curves.js';
import { auucScoreCausalml, qiniScoreCausalml } from './causalml-scores.js';
import { Mt19937 } from './mt19937.js';

// Rows already in score order: two treated (responder, non-responder), then two control non-responders.
const y = [1, 0, 0, 0];
const t = [1, 1, 0, 0];
const s = [0.9, 0.8, 0.7, 0.6];
const noRandom = { randomBaseline: false } as const;

describe('CausalML curves, hand-computed', () => {
  it('lift: undefined until a control row appears, then filled linearly from (0, 0)', () => {
    // k=3: 1/2 − 0/1 = 0.5; k=4: 1/2 − 0/2 = 0.5; k=1,2 interpolated between 0 and 0.5 at k=3
    const c = cumLift(y, s, t, noRandom);
    expect(c.x).toEqual([0, 1, 2, 3, 4]);
    expect(c.y[0]).toBe(0);
    expect(c.y[1]).toBeCloseTo(1 / 6, 15);
    expect(c.y[2]).toBeCloseTo(1 / 3, 15);
    expect(c.y.slice(3)).toEqual([0.5, 0.5]);
    expect(c.random).toBeUndefined();
  });
  it('gain = interpolated lift · k', () => {
    const c = cumGain(y, s, t, noRandom);
    [0, 1 / 6, 2 / 3, 1.5, 2].forEach((v, k) => expect(c.y[k]).toBeCloseTo(v, 15));
  });
  it('gain normalised by |gain(n)|', () => {
    const c = cumGain(y, s, t, { ...noRandom, normalize: true });
    [0, 1 / 12, 1 / 3, 0.75, 1].forEach((v, k) => expect(c.y[k]).toBeCloseTo(v, 15));
  });
  it('qini: Y_T − Y_C·n_T/n_C, undefined while n_C = 0, interpolated', () => {
    const c = qiniCausalml(y, s, t, noRandom);
    [0, 1 / 3, 2 / 3, 1, 1].forEach((v, k) => expect(c.y[k]).toBeCloseTo(v, 15));
  });
  it('qini is defined (0) while only control rows are seen; lift is not', () => {
    // order: control responder, treated responder, treated non-responder, control non-responder
    const y2 = [1, 1, 0, 0];
    const t2 = [0, 1, 1, 0];
    expect(qiniCausalml(y2, s, t2, noRandom).y).toEqual([0, 0, 0, 1 - 2, 1 - 1]);
    // lift k=1 undefined, k=2: 1 − 1 = 0 → k=1 interpolated to 0; k=3: 0.5 − 1; k=4: 0.5 − 0.5
    expect(cumLift(y2, s, t2, noRandom).y).toEqual([0, 0, 0, -0.5, 0]);
  });
  it('ties keep input order (one point per row, no tie blocks)', () => {
    const tied = [0.5, 0.5, 0.5, 0.5];
    expect(qiniCausalml(y, tied, t, noRandom).y).toEqual(qiniCausalml(y, s, t, noRandom).y);
    // control row first, then two tied treated rows: which of them responds shows at k = 2
    const t2 = [0, 1, 1, 0];
    expect(qiniCausalml([0, 1, 0, 0], tied, t2, noRandom).y[2]).toBe(1);
    expect(qiniCausalml([0, 0, 1, 0], tied, t2, noRandom).y[2]).toBe(0);
  });
});

describe('CausalML scores, hand-computed', () => {
  it('AUUC = Σ normalised gain / (n + 1) = (0 + 1/12 + 1/3 + 3/4 + 1) / 5', () => {
    const r = auucScoreCausalml(y, s, t, { randomBaseline: false });
    expect(r.value).toBeCloseTo(13 / 30, 15);
    expect(r.randomArea).toBeNull();
  });
  it('AUUC without normalisation = Σ gain / (n + 1)', () => {
    const r = auucScoreCausalml(y, s, t, { normalize: false, randomBaseline: false });
    expect(r.value).toBeCloseTo((0 + 1 / 6 + 2 / 3 + 1.5 + 2) / 5, 15);
  });
  it('Qini score = (Σ qini − Σ random qini) / (n + 1) with a given random curve', () => {
    const straight = Float64Array.from([0, 0.25, 0.5, 0.75, 1]);
    const r = qiniScoreCausalml(y, s, t, { baseline: 'random10', randomCurve: straight });
    expect(r.modelArea).toBeCloseTo(3 / 5, 15);
    expect(r.randomArea).toBeCloseTo(2.5 / 5, 15);
    expect(r.value).toBeCloseTo(0.1, 15);
  });
  it('a curve ending at 0 is not normalised: warning, finite value', () => {
    // treated mean = control mean = 0.5 overall
    const r = auucScoreCausalml([1, 0, 1, 0], s, [1, 1, 0, 0], { randomBaseline: false });
    expect(Number.isFinite(r.value)).toBe(true);
    expect(r.warnings.some((w) => /cannot be normalised/.test(w))).toBe(true);
  });
});

describe('CausalML random baseline', () => {
  const n = 50;
  const rng = new Mt19937(3);
  const yy = Array.from({ length: n }, () => (rng.nextDouble() < 0.4 ? 1 : 0));
  const tt = Array.from({ length: n }, (_, i) => (i < 2 ? i : rng.nextDouble() < 0.5 ? 1 : 0));
  const ss = Array.from({ length: n }, () => rng.nextDouble());

  it('is the mean of the curves of ten numpy rand(n) columns drawn in a row from seed 42', () => {
    const gen = new Mt19937(42);
    const mean = new Array<number>(n + 1).fill(0);
    for (let c = 0; c < CAUSALML_RANDOM_COLUMNS; c++) {
      const col = Array.from({ length: n }, () => gen.nextDouble());
      qiniCausalml(yy, col, tt, noRandom).y.forEach((v, k) => (mean[k]! += v / CAUSALML_RANDOM_COLUMNS));
    }
    const got = causalmlRandomCurve('qini', yy, tt);
    mean.forEach((v, k) => expect(got[k]).toBeCloseTo(v, 12));
  });
  it('ends where every ordering ends, and is attached to the curves', () => {
    const c = cumGain(yy, ss, tt, { baseline: 'random10' });
    expect(c.random).toHaveLength(n + 1);
    expect(c.random![n]).toBeCloseTo(c.y[n]!, 12);
  });
  it('a different seed gives a different baseline; the same seed the same one', () => {
    const a = causalmlRandomCurve('gain', yy, tt, 42);
    const b = causalmlRandomCurve('gain', yy, tt, 43);
    expect(Array.from(causalmlRandomCurve('gain', yy, tt, 42))).toEqual(Array.from(a));
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });
  it('the Qini score of a random ordering against the random baseline is near 0; a good one above', () => {
    // a larger population with a real effect: treated respond more when x is high
    const m = 4000;
    const g = new Mt19937(9);
    const x = Array.from({ length: m }, () => g.nextDouble());
    const tr = Array.from({ length: m }, () => (g.nextDouble() < 0.5 ? 1 : 0));
    const out = x.map((xi, i) => (g.nextDouble() < 0.2 + 0.5 * xi * tr[i]! ? 1 : 0));
    const good = qiniScoreCausalml(out, x, tr, { baseline: 'random10' }).value;
    const rnd = qiniScoreCausalml(
      out,
      Array.from({ length: m }, () => g.nextDouble()),
      tr,
      { baseline: 'random10' },
    ).value;
    expect(Math.abs(rnd)).toBeLessThan(0.1);
    expect(good).toBeGreaterThan(rnd + 0.1);
  });
});
