import { dayFraction, plannedFraction, type PacingPlan } from './plan.js';

/** The controller's state after a tick: what every replica applies until the next one. */
export interface PacingState {
  tick: number;
  lambda: number;
  /** ∫ e dτ, the integral term's memory (relative spend error × day fraction). */
  integral: number;
  /** Realised spend and planned spend (money) when λ was set. */
  spend: number;
  planned: number;
  /** True once less than the plan's reserve remains: arm 0 for everyone until the day ends. */
  exhausted: boolean;
}

/** λ is kept within e^±LOG_RANGE of λ0: a broken feed can move it far, not without bound. */
const LOG_RANGE = 6;
/** A floor for log λ when the morning λ is 0 (a budget that did not bind): pacing must still be able to rise. */
const LAMBDA_FLOOR = 1e-6;

/** The money the controller steers towards: the budget less the reserve kept for one more redemption. */
export const pacingTarget = (plan: PacingPlan) => plan.budget - plan.reserve;

/** Whether the hard stop applies at realised spend `spend` (docs/method.md §8): less than the reserve remains. */
export function isExhausted(plan: PacingPlan, spend: number): boolean {
  return plan.mode === 'paced' && plan.budget - spend < plan.reserve;
}

/** The morning state: λ0, nothing spent. */
export function initialPacingState(plan: PacingPlan): PacingState {
  return { tick: 0, lambda: plan.lambda0, integral: 0, spend: 0, planned: 0, exhausted: false };
}

/**
 * One controller step (docs/method.md §8) at the start of tick `tick` with realised spend `spend`:
 * e = (S − T·P(τ)) / T with T the budget less the reserve and P the planned share; log λ = log λ0 + kp·e + ki·∫e dτ.
 * Running ahead (e > 0) raises λ, lagging lowers it; the integral absorbs a persistent bias (costs drifting
 * above prediction). The integral does not grow while λ sits at its bound (no wind-up). Pure.
 */
export function stepPacing(plan: PacingPlan, prev: PacingState, spend: number, tick: number): PacingState {
  const exhausted = prev.exhausted || isExhausted(plan, spend);
  if (tick <= prev.tick) return { ...prev, spend, exhausted: exhausted && plan.mode === 'paced' };
  // A fixed plan's tick still moves (else the service would step it again at every request), never its λ.
  if (plan.mode === 'fixed') return { ...prev, tick, spend, exhausted: false };
  const target = pacingTarget(plan);
  const tau = dayFraction(plan, plan.start + tick * plan.tickMs);
  const planned = target * plannedFraction(plan.profile, tau);
  const e = (spend - planned) / target;
  const dTau = ((tick - prev.tick) * plan.tickMs) / (plan.end - plan.start);
  const base = Math.log(Math.max(plan.lambda0, LAMBDA_FLOOR));
  let integral = prev.integral + e * dTau;
  let offset = plan.kp * e + plan.ki * integral;
  if (Math.abs(offset) > LOG_RANGE) {
    integral = prev.integral;
    offset = Math.sign(offset) * LOG_RANGE;
  }
  return { tick, lambda: Math.exp(base + offset), integral, spend, planned, exhausted };
}
