import { scenarioPreset } from '@bidfcl/contracts';
import { describe, expect, it } from 'vitest';
import { simulate } from './simulate.js';
import { formatSimulationSummary, summarizeSimulation } from './summary.js';

/*
 * Calibration against docs/method.md §5's prototype (200k users; ours: 100k rows, the same world formulas but other
 * weight draws from the same seed). Bounds and why:
 * - base purchase rate 19.6 % ± 3pp: E[σ(N(a0, baseSd² + gamma²))] ≈ σ(−1.7/√(1 + π·1.09/8)) ≈ 19.5 % does not
 *   depend on the weight draw, only sampling (se 0.2pp on 25k test users) and the probit approximation;
 * - uniform random 24.7 % and top arm 28.1 % ± 3pp: these depend on the draw through corr(w0·x, w1·x, w2·x);
 *   five world seeds gave 23.8–24.9 % and 26.9–28.5 %;
 * - the logging policy's return on spend must be clearly above random (> +30 %; prototype +77 %; five world
 *   seeds gave +65 % … +128 %, it depends on how w0 and w3 align with wh);
 * - OBS arm 0 share 70 % ± 10pp (set by armBias and beta, nearly draw-independent: five seeds gave 70.0–70.2 %);
 * - naive OBS uplift of the top arm much larger than the true one (selection on responsiveness and u):
 *   prototype 9.9 vs 2.24 (4.4×); we require > 2× and a true effect of 2–4.5 (five seeds: 2.4–3.3);
 * - mean basket E[exp(w3·x + b3)] = exp(3.4 + 0.5²/2) = 33.9 exactly in expectation (se 0.11 on 25k users).
 */
describe('summarizeSimulation (calibration, 100k rows of marketing-8)', () => {
  const data = simulate(
    scenarioPreset('marketing-8', { sizes: { rct: 10_000, val: 5000, obs: 60_000, test: 25_000 } }),
  );
  const s = summarizeSimulation(data);

  it('lands near the prototype figures', () => {
    expect(Math.abs(s.basePurchaseRate - 0.196)).toBeLessThan(0.03);
    expect(Math.abs(s.randomPurchaseRate - 0.247)).toBeLessThan(0.03);
    expect(Math.abs(s.topPurchaseRate - 0.281)).toBeLessThan(0.03);
    expect(s.logging.liftOverRandom).toBeGreaterThan(0.3);
    expect(Math.abs(s.obsArmShares[0]! - 0.7)).toBeLessThan(0.1);
    expect(s.obsArmShares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(s.topArmUplift.truth).toBeGreaterThan(2);
    expect(s.topArmUplift.truth).toBeLessThan(4.5);
    expect(s.topArmUplift.naiveObs).toBeGreaterThan(2 * s.topArmUplift.truth);
  });

  it('has the mean basket exp(b3 + basketSd²/2)', () => {
    const t = data.splits.test;
    let basket = 0;
    for (let i = 0; i < t.n; i++) basket += t.trueRevenue![i * t.m]! / t.truePurchase![i * t.m]!;
    expect(Math.abs(basket / t.n - Math.exp(3.4 + 0.125))).toBeLessThan(0.6);
  });

  it('shows diminishing returns: Δrevenue/Δcost falls with the coupon value', () => {
    const roi = s.armEffects.slice(1).map((e) => e.revenueEffect / e.costEffect);
    for (let j = 1; j < roi.length; j++) expect(roi[j]).toBeLessThan(roi[j - 1]!);
    expect(s.armEffects[0]).toMatchObject({ revenueEffect: 0, costEffect: 0 });
    expect(s.uniformRandomCost).toBeCloseTo(s.armEffects.reduce((a, e) => a + e.costEffect, 0) / 8, 12);
  });

  it('formats a readable summary', () => {
    const text = formatSimulationSummary(s);
    expect(text).toContain('scenario marketing-8: 8 arms');
    expect(text).toContain(`base ${(100 * s.basePurchaseRate).toFixed(1)}%`);
    expect(text).toContain('over random');
    expect(text).toContain('OBS arm shares:');
    expect(text.split('\n').length).toBe(5 + 1 + 8 + 3);
  });

  it('summarises the 2- and 5-arm presets', () => {
    for (const [preset, m] of [
      ['binary-2', 2],
      ['discount-5', 5],
    ] as const) {
      const sum = summarizeSimulation(
        simulate(scenarioPreset(preset, { sizes: { rct: 2000, val: 500, obs: 20_000, test: 5000 } })),
      );
      expect(sum.armEffects.length).toBe(m);
      expect(sum.obsArmShares.length).toBe(m);
      expect(sum.logging.liftOverRandom).toBeGreaterThan(0.3);
      expect(formatSimulationSummary(sum)).toContain(`${m} arms`);
    }
  });
});
