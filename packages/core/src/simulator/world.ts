import type { Scenario } from '@bidfcl/contracts';
import { createRng, deriveSeed, type Rng } from '../rng.js';

/**
 * The simulator's fixed world (docs/method.md §5): weight directions drawn once from `worldSeed`. Each direction
 * has its own derived stream, so changing one target sd (a rescaling) never changes another direction.
 */
export interface SimWorld {
  /** Number of features d. */
  d: number;
  /** Baseline purchase logit direction; sd(w0·x) = baseSd. */
  w0: Float64Array;
  /** Responsiveness direction; sd(w1·x) = respSd. */
  w1: Float64Array;
  /** Saturation direction; sd(w2·x) = satSd. */
  w2: Float64Array;
  /** Basket direction; sd(w3·x) = basketSd. */
  w3: Float64Array;
  /** Logging score direction: sd(wh·x) = 1 and corr(wh·x, w1·x) = hCorr (exact under Σ). */
  wh: Float64Array;
}

/** Standard deviation of w·x for x ~ N(0, Σ), Σ_kl = ρ^|k−l|: sqrt(wᵀΣw). */
export function projectionSd(w: Float64Array, featCorr: number): number {
  return Math.sqrt(Math.max(0, sigmaInner(w, w, featCorr)));
}

/** aᵀΣb with Σ_kl = ρ^|k−l| (O(d²); d is small). */
export function sigmaInner(a: Float64Array, b: Float64Array, rho: number): number {
  const d = a.length;
  let s = 0;
  for (let k = 0; k < d; k++) {
    const ak = a[k]!;
    if (ak === 0) continue;
    for (let l = 0; l < d; l++) {
      const bl = b[l]!;
      if (bl !== 0) s += ak * bl * (k === l ? 1 : rho ** Math.abs(k - l));
    }
  }
  return s;
}

/**
 * Sparse direction: each feature enters with probability `density`, weights N(0, 1). A direction that
 * drew no feature gets one at random (a world where a driver is constant would silently drop a mechanism).
 */
function sparseDirection(rng: Rng, d: number, density: number): Float64Array {
  const w = new Float64Array(d);
  let any = false;
  for (let k = 0; k < d; k++) {
    const enters = rng.next() < density;
    const weight = rng.normal(); // drawn either way: the stream does not depend on the density outcome
    if (enters) {
      w[k] = weight;
      any = true;
    }
  }
  if (!any) w[rng.int(d)] = rng.normal();
  return w;
}

function scaleTo(w: Float64Array, targetSd: number, rho: number): Float64Array {
  const sd = projectionSd(w, rho);
  const out = new Float64Array(w.length);
  if (sd > 0) for (let k = 0; k < w.length; k++) out[k] = (w[k]! * targetSd) / sd;
  return out;
}

/** Draws the world of a scenario from its worldSeed. */
export function createWorld(scenario: Scenario): SimWorld {
  const d = scenario.features;
  const rho = scenario.featCorr;
  const dir = (label: string) =>
    sparseDirection(createRng(deriveSeed(scenario.worldSeed, 'world', label)), d, scenario.weightDensity);
  const w0 = scaleTo(dir('w0'), scenario.baseSd, rho);
  const w1 = scaleTo(dir('w1'), scenario.respSd, rho);
  const w2 = scaleTo(dir('w2'), scenario.satSd, rho);
  const w3 = scaleTo(dir('w3'), scenario.basketSd, rho);
  const wh = loggingDirection(dir('wh'), w1, scenario.hCorr, rho);
  return { d, w0, w1, w2, w3, wh };
}

/**
 * wh = hCorr·ŵ1 + sqrt(1 − hCorr²)·ĝ⊥ with ŵ1 = w1 / sd(w1·x) and ĝ⊥ the part of g Σ-orthogonal to w1, at
 * unit sd. Then var(wh·x) = hCorr² + (1 − hCorr²) = 1 and cov(wh·x, ŵ1·x) = hCorr exactly. Degenerate
 * cases (w1 = 0, or g parallel to w1 e.g. d = 1) fall back to ĝ alone or ±ŵ1.
 */
function loggingDirection(g: Float64Array, w1: Float64Array, hCorr: number, rho: number): Float64Array {
  const d = g.length;
  const s1 = projectionSd(w1, rho);
  if (s1 === 0) return scaleTo(g, 1, rho);
  const u1 = scaleTo(w1, 1, rho);
  const proj = sigmaInner(g, u1, rho);
  const perp = new Float64Array(d);
  for (let k = 0; k < d; k++) perp[k] = g[k]! - proj * u1[k]!;
  const sp = projectionSd(perp, rho);
  const out = new Float64Array(d);
  if (sp < 1e-12 * Math.max(1, projectionSd(g, rho))) {
    const sign = hCorr < 0 ? -1 : 1;
    for (let k = 0; k < d; k++) out[k] = sign * u1[k]!;
    return out;
  }
  const a = hCorr;
  const b = Math.sqrt(Math.max(0, 1 - hCorr * hCorr));
  for (let k = 0; k < d; k++) out[k] = a * u1[k]! + (b * perp[k]!) / sp;
  return out;
}
