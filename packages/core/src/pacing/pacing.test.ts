import { describe, expect, test } from 'vitest';
import type { ScoreMatrix } from '@bidfcl/contracts';
import { allocateBudget } from '../allocation/allocate-budget.js';
import { createRng } from '../rng.js';
import { armTruth, softplus } from '../simulator/user-model.js';
import { batchArmAt } from './batch-arm.js';
import { initialPacingState, isExhausted, stepPacing } from './controller.js';
import { PACING_DEFAULTS, plannedFraction, type PacingPlan } from './plan.js';
import { simulateDay, type DayArrival, type DayTruth } from './simulated-day.js';

const ARMS = [0, 1, 3, 5];
const N = 20_000;
const DAY = 86_400_000;

/** A population drawn with the simulator's response formulas; predictions are the truth with model noise. */
function population(seed: number) {
  const rng = createRng(seed);
  const m = ARMS.length;
  const purchase = new Float64Array(N * m);
  const revenue = new Float64Array(N * m);
  const cost = new Float64Array(N * m);
  for (let i = 0; i < N; i++) {
    const drivers = {
      baseLogit: -1.5 + 0.8 * rng.normal(),
      resp: softplus(0.5 + rng.normal()),
      sat: softplus(1 + 0.5 * rng.normal()),
      basket: Math.exp(3 + 0.3 * rng.normal()),
    };
    armTruth(drivers, ARMS, purchase, revenue, cost, i * m);
  }
  const noise = () => Math.exp(0.1 * rng.normal());
  const scores: ScoreMatrix = { n: N, m, r: revenue.map((v) => v * noise()), c: cost.map((v) => v * noise()) };
  return { scores, purchase, revenue, cost };
}

/** Arrival times following a traffic profile (equal-mass slices of the day), in a seeded random order of users. */
function arrivals(profile: number[], seed: number): DayArrival[] {
  const rng = createRng(seed);
  const w = profile.length ? profile : [1];
  const total = w.reduce((s, x) => s + x, 0);
  const out: DayArrival[] = [];
  for (let i = 0; i < N; i++) {
    // Inverse of the cumulative profile at a uniform draw.
    let u = rng.next() * total;
    let k = 0;
    while (u > w[k]! && k < w.length - 1) u -= w[k++]!;
    out.push({ at: ((k + Math.min(1, u / w[k]!)) / w.length) * DAY, row: i });
  }
  return out.sort((a, b) => a.at - b.at);
}

const pop = population(7);
const BUDGET = 9_000;

function plan(extra: Partial<PacingPlan> = {}): PacingPlan {
  const target = BUDGET - 5;
  const lambda0 = allocateBudget(pop.scores, target / N).lambda;
  return { budget: BUDGET, start: 0, end: DAY, profile: [], lambda0, reserve: 5, ...PACING_DEFAULTS, ...extra };
}

const PEAKED = [1, 1, 1, 1, 1, 1, 2, 3, 4, 4, 4, 5, 6, 5, 4, 4, 4, 5, 6, 6, 5, 3, 2, 1];
const DRIFTS: Record<string, (tau: number) => number> = {
  none: () => 1,
  'costs +20% after noon': (t) => (t >= 0.5 ? 1.2 : 1),
  'costs -20% after noon': (t) => (t >= 0.5 ? 0.8 : 1),
  'costs +35% all day': () => 1.35,
};

describe('pacing controller on a simulated day (docs/method.md §8)', () => {
  for (const [name, costDrift] of Object.entries(DRIFTS))
    for (const profile of [[], PEAKED]) {
      const label = `${name}, ${profile.length ? 'peaked' : 'uniform'} traffic`;
      test(`${label}: spend within 2 % of the budget, never above, following the plan`, () => {
        const truth: DayTruth = { purchase: pop.purchase, revenue: pop.revenue, armValues: ARMS, costDrift };
        const p = plan({ profile });
        const day = simulateDay(p, pop.scores, truth, arrivals(profile, 11), createRng(3));
        expect(day.spend).toBeLessThanOrEqual(BUDGET);
        expect(day.spend).toBeGreaterThanOrEqual(0.98 * BUDGET);
        expect(day.secondHalfDeviation).toBeLessThan(0.03);
        expect(day.lambdaChanges).toBeGreaterThan(0);
      });
    }

  test('a fixed morning λ overspends when costs drift up: what pacing prevents', () => {
    const truth: DayTruth = {
      purchase: pop.purchase,
      revenue: pop.revenue,
      armValues: ARMS,
      costDrift: DRIFTS['costs +20% after noon']!,
    };
    const day = simulateDay(plan({ mode: 'fixed' }), pop.scores, truth, arrivals([], 11), createRng(3));
    expect(day.spend).toBeGreaterThan(1.05 * BUDGET);
    expect(day.lambdaChanges).toBe(0);
  });
});

describe('pacing controller invariants', () => {
  test('a fixed plan moves its tick and keeps λ0, however far spend is from the plan', () => {
    const p = plan({ mode: 'fixed' });
    const next = stepPacing(p, initialPacingState(p), 0.9 * BUDGET, 60);
    expect(next).toMatchObject({ tick: 60, lambda: p.lambda0, exhausted: false });
    expect(stepPacing(p, next, BUDGET, 60)).toMatchObject({ tick: 60, lambda: p.lambda0 });
  });

  test('λ rises when spend runs ahead of the plan and falls when it lags', () => {
    const p = plan();
    const s0 = initialPacingState(p);
    const ahead = stepPacing(p, s0, 0.2 * BUDGET, 60); // a twentieth of the day spent a fifth of the budget
    const behind = stepPacing(p, s0, 0, 60);
    expect(ahead.lambda).toBeGreaterThan(p.lambda0);
    expect(behind.lambda).toBeLessThan(p.lambda0);
  });

  test('the hard stop: exhausted once less than the reserve remains, and it stays so', () => {
    const p = plan();
    expect(isExhausted(p, BUDGET - 5.01)).toBe(false);
    expect(isExhausted(p, BUDGET - 4.99)).toBe(true);
    const stopped = stepPacing(p, initialPacingState(p), BUDGET - 1, 10);
    expect(stopped.exhausted).toBe(true);
    expect(stepPacing(p, stopped, BUDGET - 1, 11).exhausted).toBe(true);
  });

  test('λ stays within e^±6 of λ0 however wrong the feed', () => {
    const p = plan();
    let s = initialPacingState(p);
    for (let t = 1; t < 1000; t++) s = stepPacing(p, s, 0, t);
    expect(s.lambda).toBeGreaterThanOrEqual(p.lambda0 * Math.exp(-6) * (1 - 1e-12));
  });

  test('the planned share is the cumulative profile, 0 at dawn and 1 at midnight', () => {
    expect(plannedFraction([], 0.3)).toBeCloseTo(0.3, 15);
    expect(plannedFraction([1, 3], 0.5)).toBeCloseTo(0.25, 15);
    expect(plannedFraction([1, 3], 0.75)).toBeCloseTo(0.625, 15);
    expect(plannedFraction([1, 3], 1)).toBe(1);
    expect(plannedFraction([1, 3], 0)).toBe(0);
  });
});

describe('batchArmAt', () => {
  test('keeps the night’s arm up to its exit λ, gives arm 0 above it and after the hard stop', () => {
    expect(batchArmAt(2, 5, 3, 3, false)).toBe(2);
    expect(batchArmAt(2, 5, 3, 1, false)).toBe(2);
    expect(batchArmAt(2, 5, 3, 5, false)).toBe(2);
    expect(batchArmAt(2, 5, 3, 5.01, false)).toBe(0);
    expect(batchArmAt(0, 0, 3, 0.1, false)).toBe(0);
    expect(batchArmAt(2, 5, 3, 3, true)).toBe(0);
  });
});
