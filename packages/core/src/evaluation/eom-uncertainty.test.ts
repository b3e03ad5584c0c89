import { describe, expect, it } from 'vitest';
import { ipwOfDecisions, type RctOutcomes } from '../allocation/ipw.js';
import { ipwRandomReference } from '../allocation/random-reference.js';
import { createRng } from '../rng.js';
import {
  combineContributions,
  ipwRevenueContributions,
  meanWithSe,
  randomReferenceContributions,
} from './eom-uncertainty.js';

const P = [0.5, 0.3, 0.2];

/** An RCT of n rows: arm by P, revenue by arm (heavy-tailed, like purchases), cost 1 + arm. */
function rct(n: number, seed: number): RctOutcomes {
  const rng = createRng(seed);
  const arm = new Int32Array(n);
  const revenue = new Float64Array(n);
  const cost = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    const t = u < P[0]! ? 0 : u < P[0]! + P[1]! ? 1 : 2;
    arm[i] = t;
    revenue[i] = rng.next() < 0.2 + 0.1 * t ? Math.exp(rng.normal()) * (1 + t) : 0;
    cost[i] = 1 + t;
  }
  return { arm, revenue, cost, propensities: P };
}

function decisionsOf(n: number, seed: number): Int32Array {
  const rng = createRng(seed);
  return Int32Array.from({ length: n }, () => rng.int(3));
}

/** Standard deviation over B bootstrap resamples of the rows of `estimate`. */
function bootstrapSe(data: RctOutcomes, estimate: (d: RctOutcomes, rows: Int32Array) => number, B: number): number {
  const rng = createRng(7);
  const n = data.arm.length;
  const values: number[] = [];
  for (let b = 0; b < B; b++) {
    const rows = Int32Array.from({ length: n }, () => rng.int(n));
    const pick = (xs: Float64Array) => Float64Array.from(rows, (i) => xs[i]!);
    const d = { ...data, arm: Int32Array.from(rows, (i) => data.arm[i]!), revenue: pick(data.revenue) };
    values.push(estimate({ ...d, cost: pick(data.cost) }, rows));
  }
  return meanWithSe(values).se * Math.sqrt(B); // sd over resamples, n − 1 convention
}

describe('EOM standard errors (docs/method.md §4)', () => {
  const n = 4000;
  const data = rct(n, 1);
  const decisions = decisionsOf(n, 2);

  it('meanWithSe: the closed form on a small vector', () => {
    const r = meanWithSe([1, 2, 3, 4]);
    expect(r.mean).toBe(2.5);
    expect(r.se).toBeCloseTo(Math.sqrt(5 / 3 / 4), 12); // sd² = 5/3 with n − 1
    expect(meanWithSe([3]).se).toBe(0);
  });

  it('IPW contributions average to the IPW revenue of the same decisions', () => {
    const z = ipwRevenueContributions(decisions, data);
    expect(meanWithSe(z).mean).toBeCloseTo(ipwOfDecisions(decisions, data).revenue, 12);
  });

  it('the IPW standard error matches a bootstrap over rows within 8 %', () => {
    const se = meanWithSe(ipwRevenueContributions(decisions, data)).se;
    const boot = bootstrapSe(
      data,
      (d, rows) =>
        ipwOfDecisions(
          Int32Array.from(rows, (i) => decisions[i]!),
          d,
        ).revenue,
      400,
    );
    expect(Math.abs(se / boot - 1)).toBeLessThan(0.08);
  });

  it('random reference contributions average to its value; their SE matches a bootstrap within 8 %', () => {
    const budget = 2; // arm 0 costs 1, uniform costs 2: q = 1 (all arms); use 1.5 for a real mixture
    for (const b of [budget, 1.5]) {
      const ref = ipwRandomReference(data, b);
      const z = randomReferenceContributions(data, ref.q);
      expect(meanWithSe(z).mean).toBeCloseTo(ref.value, 10);
      const boot = bootstrapSe(data, (d) => ipwRandomReference(d, b).value, 400);
      expect(Math.abs(meanWithSe(z).se / boot - 1)).toBeLessThan(0.08);
    }
  });

  it('a paired difference has the difference of the means and a smaller SE than unpaired when the two agree', () => {
    const other = Int32Array.from(decisions, (d, i) => (i % 10 === 0 ? (d + 1) % 3 : d)); // 90 % the same
    const a = ipwRevenueContributions(decisions, data);
    const b = ipwRevenueContributions(other, data);
    const diff = meanWithSe(
      combineContributions([
        { weight: 1, z: a },
        { weight: -1, z: b },
      ]),
    );
    expect(diff.mean).toBeCloseTo(meanWithSe(a).mean - meanWithSe(b).mean, 12);
    const unpaired = Math.hypot(meanWithSe(a).se, meanWithSe(b).se);
    expect(diff.se).toBeLessThan(0.5 * unpaired);
  });

  it('combineContributions refuses vectors of different lengths', () => {
    expect(() =>
      combineContributions([
        { weight: 1, z: new Float64Array(2) },
        { weight: 1, z: new Float64Array(3) },
      ]),
    ).toThrow(/3 rows against 2/);
  });
});
