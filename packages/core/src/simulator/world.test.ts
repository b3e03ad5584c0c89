import { parseScenario } from '@bidfcl/contracts';
import { describe, expect, it } from 'vitest';
import { simulateSplit } from './simulate.js';
import { createWorld, projectionSd, sigmaInner } from './world.js';

describe('createWorld', () => {
  const scenario = parseScenario({ name: 'w', sizes: { rct: 1, val: 1, obs: 0, test: 1 } });
  const world = createWorld(scenario);
  const rho = scenario.featCorr;

  it('scales every direction to its target sd exactly (closed form sqrt(wᵀΣw))', () => {
    expect(projectionSd(world.w0, rho)).toBeCloseTo(scenario.baseSd, 12);
    expect(projectionSd(world.w1, rho)).toBeCloseTo(scenario.respSd, 12);
    expect(projectionSd(world.w2, rho)).toBeCloseTo(scenario.satSd, 12);
    expect(projectionSd(world.w3, rho)).toBeCloseTo(scenario.basketSd, 12);
    expect(projectionSd(world.wh, rho)).toBeCloseTo(1, 12);
    const corr = sigmaInner(world.wh, world.w1, rho) / (projectionSd(world.wh, rho) * projectionSd(world.w1, rho));
    expect(corr).toBeCloseTo(scenario.hCorr, 12);
  });

  it('is sparse with about weightDensity of the features per direction', () => {
    let nonzero = 0;
    for (const w of [world.w0, world.w1, world.w2, world.w3]) nonzero += w.reduce((s, v) => s + (v !== 0 ? 1 : 0), 0);
    // 80 Bernoulli(0.6) draws: mean 48, sd 4.4; ±20 is > 4.5 sd.
    expect(Math.abs(nonzero - 48)).toBeLessThan(20);
    expect(nonzero).toBeLessThan(80);
  });

  it('depends only on worldSeed', () => {
    const again = createWorld(parseScenario({ seed: 99 }));
    expect(Array.from(again.w1)).toEqual(Array.from(world.w1));
    const other = createWorld(parseScenario({ worldSeed: 7 }));
    expect(Array.from(other.w1)).not.toEqual(Array.from(world.w1));
  });

  it('matches the sampled features: sd(w·x), corr(wh·x, w1·x), and Σ_kl = ρ^|k−l|', () => {
    const n = 40_000;
    const split = simulateSplit(scenario, world, 'rct', n);
    const d = world.d;
    const proj = (w: Float64Array) => {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += w[k]! * split.x[i * d + k]!;
        out[i] = s;
      }
      return out;
    };
    const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
    const cov = (a: Float64Array, b: Float64Array) => {
      const ma = mean(a);
      const mb = mean(b);
      let s = 0;
      for (let i = 0; i < a.length; i++) s += (a[i]! - ma) * (b[i]! - mb);
      return s / a.length;
    };
    // sd estimates have relative standard error 1/sqrt(2n) ≈ 0.35%; 2% is > 5 se.
    const p1 = proj(world.w1);
    const ph = proj(world.wh);
    expect(Math.abs(Math.sqrt(cov(p1, p1)) / scenario.respSd - 1)).toBeLessThan(0.02);
    expect(Math.abs(Math.sqrt(cov(ph, ph)) - 1)).toBeLessThan(0.02);
    // Correlation se ≈ (1 − 0.64)/sqrt(n) ≈ 0.002.
    expect(Math.abs(cov(p1, ph) / Math.sqrt(cov(p1, p1) * cov(ph, ph)) - scenario.hCorr)).toBeLessThan(0.01);
    const col = (k: number) => Float64Array.from({ length: n }, (_, i) => split.x[i * d + k]!);
    const c0 = col(5);
    const c1 = col(6);
    const c2 = col(7);
    const c9 = col(15);
    // Unit-variance features; correlation se ≈ 1/sqrt(n) = 0.005, tolerance 0.025.
    expect(Math.abs(cov(c0, c0) - 1)).toBeLessThan(0.03);
    expect(Math.abs(cov(c0, c1) - rho)).toBeLessThan(0.025);
    expect(Math.abs(cov(c0, c2) - rho * rho)).toBeLessThan(0.025);
    expect(Math.abs(cov(c0, c9))).toBeLessThan(0.025);
  });
});
