import type { ScoreMatrix } from '@bidfcl/contracts';
import { decide } from '../allocation/decide.js';
import type { Rng } from '../rng.js';
import { initialPacingState, isExhausted, stepPacing, type PacingState } from './controller.js';
import { tickOf, type PacingPlan } from './plan.js';

/** One arrival of a simulated day: when, and what each arm would truly cost and earn in expectation. */
export interface DayArrival {
  at: number;
  /** Index of the user's row in `scores` (predictions) and in the truth arrays. */
  row: number;
}

export interface DayTruth {
  /** n × m true purchase probabilities, expected revenue; the face value of each arm. */
  purchase: Float64Array;
  revenue: Float64Array;
  armValues: readonly number[];
  /** Multiplier of the true cost of a redemption at day fraction τ (drift: 1.2 after noon, say). */
  costDrift: (tau: number) => number;
}

export interface DayOutcome {
  spend: number;
  revenue: number;
  /** Largest |S(τ) − planned(τ)| / target over the ticks of the day's second half. */
  secondHalfDeviation: number;
  lambdaChanges: number;
  states: PacingState[];
}

/**
 * Replays a day in one process (the numerical test bed of docs/method.md §8; the service does the same over
 * HTTP): each arrival gets argmax_j r̂ − λĉ with the controller's λ, or arm 0 after the hard stop; a redemption
 * is drawn from the true purchase probability and costs the arm's face value × drift. Pure given the rng.
 */
export function simulateDay(
  plan: PacingPlan,
  scores: ScoreMatrix,
  truth: DayTruth,
  arrivals: readonly DayArrival[],
  rng: Rng,
): DayOutcome {
  const { m } = scores;
  let state = initialPacingState(plan);
  const states: PacingState[] = [state];
  let spend = 0;
  let revenue = 0;
  let deviation = 0;
  const one: ScoreMatrix = { n: 1, m, r: new Float64Array(m), c: new Float64Array(m) };
  const out = new Int32Array(1);
  for (const a of arrivals) {
    const tick = tickOf(plan, a.at);
    if (tick > state.tick) {
      state = stepPacing(plan, state, spend, tick);
      states.push(state);
      if (2 * tick * plan.tickMs >= plan.end - plan.start)
        deviation = Math.max(deviation, Math.abs(state.spend - state.planned) / (plan.budget - plan.reserve));
    }
    let arm = 0;
    if (!state.exhausted && !isExhausted(plan, spend)) {
      one.r.set(scores.r.subarray(a.row * m, a.row * m + m));
      one.c.set(scores.c.subarray(a.row * m, a.row * m + m));
      arm = decide(one, state.lambda, out)[0]!;
    }
    const k = a.row * m + arm;
    revenue += truth.revenue[k]!;
    if (rng.next() < truth.purchase[k]!) {
      const tau = (a.at - plan.start) / (plan.end - plan.start);
      spend += truth.armValues[arm]! * truth.costDrift(tau);
    }
  }
  const lambdaChanges = states.filter((s, i) => i > 0 && s.lambda !== states[i - 1]!.lambda).length;
  return { spend, revenue, secondHalfDeviation: deviation, lambdaChanges, states };
}
