import { parseScenario, scenarioPreset } from '@bidfcl/contracts';
import { describe, expect, it } from 'vitest';
import { simulate } from './simulate.js';

const small = { rct: 3000, val: 1000, obs: 5000, test: 2000 };

/** Byte-wise equality of typed arrays (vitest's deep equality is slow on 10⁵ elements). */
const same = (a: ArrayBufferView | undefined, b: ArrayBufferView | undefined): boolean =>
  !!a &&
  !!b &&
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('simulate', () => {
  it('is deterministic per scenario and seed', () => {
    const a = simulate(scenarioPreset('marketing-8', { sizes: small }));
    const b = simulate(scenarioPreset('marketing-8', { sizes: small }));
    const c = simulate(scenarioPreset('marketing-8', { sizes: small, seed: 1 }));
    for (const name of ['rct', 'val', 'obs', 'test'] as const) {
      expect(same(a.splits[name].x, b.splits[name].x)).toBe(true);
      expect(same(a.splits[name].arm, b.splits[name].arm)).toBe(true);
      expect(same(a.splits[name].revenue, b.splits[name].revenue)).toBe(true);
      expect(same(a.splits[name].trueRevenue, b.splits[name].trueRevenue)).toBe(true);
      expect(same(a.splits[name].x, c.splits[name].x)).toBe(false);
      expect(same(a.splits[name].revenue, c.splits[name].revenue)).toBe(false);
    }
    // Same data seed, other world: same features (data stream), other truth.
    const w = simulate(scenarioPreset('marketing-8', { sizes: small, worldSeed: 1 }));
    expect(same(w.splits.test.x, a.splits.test.x)).toBe(true);
    expect(same(w.splits.test.trueRevenue, a.splits.test.trueRevenue)).toBe(false);
    // Splits are distinct streams.
    expect(same(a.splits.rct.x.subarray(0, 100), a.splits.val.x.subarray(0, 100))).toBe(false);
  });

  it('has the documented shapes', () => {
    const data = simulate(scenarioPreset('marketing-8', { sizes: small }));
    for (const name of ['rct', 'val', 'obs', 'test'] as const) {
      const s = data.splits[name];
      expect(s.n).toBe(small[name]);
      expect([s.d, s.m]).toEqual([20, 8]);
      expect(s.x.length).toBe(s.n * 20);
      for (const k of ['arm', 'revenue', 'cost', 'userId'] as const) expect(s[k].length).toBe(s.n);
      for (const k of ['trueRevenue', 'trueCost', 'truePurchase'] as const) expect(s[k]!.length).toBe(s.n * 8);
      expect(s.userId[7]).toBe(`${name}-7`);
      expect(s.propensity === undefined).toBe(name !== 'obs');
    }
    expect(data.splits.obs.propensity!.length).toBe(small.obs);
  });

  it('draws RCT arms uniformly', () => {
    const data = simulate(scenarioPreset('marketing-8', { sizes: { ...small, rct: 40_000 } }));
    const counts = new Array<number>(8).fill(0);
    for (const t of data.splits.rct.arm) counts[t]! += 1;
    // Binomial(40000, 1/8): mean 5000, sd 66; ±330 is 5 sd.
    for (const c of counts) expect(Math.abs(c - 5000)).toBeLessThan(330);
  });

  it('keeps one split unchanged when another split changes size; a smaller split is a prefix', () => {
    const a = simulate(scenarioPreset('marketing-8', { sizes: small }));
    const b = simulate(scenarioPreset('marketing-8', { sizes: { ...small, obs: 7000, rct: 1500 } }));
    expect(same(b.splits.val.x, a.splits.val.x)).toBe(true);
    expect(same(b.splits.test.revenue, a.splits.test.revenue)).toBe(true);
    expect(same(b.splits.rct.x, a.splits.rct.x.subarray(0, 1500 * 20))).toBe(true);
    expect(same(b.splits.rct.revenue, a.splits.rct.revenue.subarray(0, 1500))).toBe(true);
    expect(same(b.splits.obs.arm.subarray(0, 5000), a.splits.obs.arm)).toBe(true);
  });

  it('obeys the per-user formulas: c = v·p, r/p = basket for every arm, p rising in v, realised outcomes', () => {
    for (const preset of ['marketing-8', 'discount-5', 'binary-2']) {
      const data = simulate(scenarioPreset(preset, { sizes: small }));
      const values = data.scenario.armValues;
      const s = data.splits.test;
      const { m } = s;
      expect(m).toBe(values.length);
      // Largest violations over all users and arms (one expect each: per-element expects are slow).
      let costErr = 0;
      let basketErr = 0;
      let decreasing = 0;
      let badRealised = 0;
      for (let i = 0; i < s.n; i++) {
        const row = i * m;
        const basket = s.trueRevenue![row]! / s.truePurchase![row]!;
        for (let j = 0; j < m; j++) {
          const p = s.truePurchase![row + j]!;
          costErr = Math.max(costErr, Math.abs(s.trueCost![row + j]! - values[j]! * p));
          basketErr = Math.max(basketErr, Math.abs(s.trueRevenue![row + j]! / p - basket) / basket);
          if (j > 0 && p < s.truePurchase![row + j - 1]!) decreasing++;
        }
        const t = s.arm[i]!;
        // cost = v_t · buy; revenue > 0 exactly when the user bought.
        const bought = s.revenue[i]! > 0;
        if (s.cost[i] !== (bought ? values[t]! : 0)) badRealised++;
      }
      expect(costErr).toBeLessThan(1e-12);
      expect(basketErr).toBeLessThan(1e-12);
      expect(decreasing).toBe(0);
      expect(badRealised).toBe(0);
    }
  });

  it('realised outcomes average to the truth of the taken arm (LogNormal noise has mean 1)', () => {
    const data = simulate(scenarioPreset('discount-5', { sizes: { ...small, test: 60_000 } }));
    const s = data.splits.test;
    let y = 0;
    let r = 0;
    let buys = 0;
    let p = 0;
    let y2 = 0;
    for (let i = 0; i < s.n; i++) {
      const t = s.arm[i]!;
      y += s.revenue[i]!;
      y2 += s.revenue[i]! ** 2;
      r += s.trueRevenue![i * s.m + t]!;
      buys += s.revenue[i]! > 0 ? 1 : 0;
      p += s.truePurchase![i * s.m + t]!;
    }
    const n = s.n;
    const se = Math.sqrt((y2 / n - (y / n) ** 2) / n);
    expect(Math.abs(y / n - r / n)).toBeLessThan(5 * se);
    // Purchase share: Bernoulli se ≤ 0.5/sqrt(n) = 0.002.
    expect(Math.abs(buys / n - p / n)).toBeLessThan(0.01);
  });

  it('logs OBS propensities consistent with the arms drawn (IPW identity mean 1[t=j]/π_ij = 1)', () => {
    const data = simulate(scenarioPreset('marketing-8', { sizes: { ...small, obs: 60_000 } }));
    const s = data.splits.obs;
    for (const j of [0, 1]) {
      let sum = 0;
      let sum2 = 0;
      for (let i = 0; i < s.n; i++) {
        const w = s.arm[i] === j ? 1 / s.propensity![i]! : 0;
        sum += w;
        sum2 += w * w;
      }
      const mean = sum / s.n;
      const se = Math.sqrt((sum2 / s.n - mean * mean) / s.n);
      expect(Math.abs(mean - 1)).toBeLessThan(Math.max(5 * se, 0.01));
    }
    expect(s.propensity!.every((p) => p > 0 && p <= 1)).toBe(true);
  });

  it('handles two arms and an empty OBS split', () => {
    const data = simulate(parseScenario({ armValues: [0, 5], armBias: [0, -7.5], sizes: { ...small, obs: 0 } }));
    expect(data.splits.obs.n).toBe(0);
    expect(data.splits.rct.m).toBe(2);
    expect(new Set(data.splits.rct.arm)).toEqual(new Set([0, 1]));
  });
});
