/**
 * A day's budget plan for intraday pacing (docs/method.md §8): the budget, the day's window, the planned share
 * of the budget spent by each moment (uniform, or a traffic profile from history), the morning λ and the
 * controller's settings. Pure data; the service keeps it in Redis so every replica paces the same plan.
 */
export interface PacingPlan {
  /** Money for the day. */
  budget: number;
  /** The day's window, epoch milliseconds. */
  start: number;
  end: number;
  /**
   * Relative traffic of equal slices of the day (e.g. 24 hourly weights); empty means uniform. The planned
   * cumulative spend follows the cumulative traffic: spend where the users are.
   */
  profile: number[];
  /** The morning λ (the allocation's λ*): where the controller starts and what it corrects. */
  lambda0: number;
  /** Money kept back for one more redemption: the hard stop comes when less than this remains. */
  reserve: number;
  /** The controller updates λ once per tick. */
  tickMs: number;
  /** 'fixed' keeps λ0 all day and never stops (the reference pacing is compared with). */
  mode: 'paced' | 'fixed';
  /** Proportional and integral gains on log λ, per unit of relative spend error (and per day for ki). */
  kp: number;
  ki: number;
}

/** The controller's defaults (tuned on the simulated days of pacing.test.ts, docs/method.md §8). */
export const PACING_DEFAULTS = { tickMs: 60_000, kp: 8, ki: 40, mode: 'paced' as const };

/** Throws unless the plan is usable: a positive budget and window, a non-negative profile with mass. */
export function assertPacingPlan(p: PacingPlan): void {
  const fail = (why: string) => {
    throw new Error(`pacing plan: ${why}`);
  };
  if (!(Number.isFinite(p.budget) && p.budget > 0)) fail(`budget must be a positive number, got ${p.budget}`);
  if (!(Number.isFinite(p.start) && Number.isFinite(p.end) && p.end > p.start)) fail('end must come after start');
  if (p.profile.some((w) => !(Number.isFinite(w) && w >= 0))) fail('profile weights must be finite and ≥ 0');
  if (p.profile.length > 0 && !p.profile.some((w) => w > 0)) fail('profile needs a positive weight');
  if (!(Number.isFinite(p.lambda0) && p.lambda0 >= 0)) fail(`lambda0 must be finite and ≥ 0, got ${p.lambda0}`);
  if (!(Number.isFinite(p.reserve) && p.reserve >= 0 && p.reserve < p.budget)) fail('reserve must be in [0, budget)');
  if (!(Number.isFinite(p.tickMs) && p.tickMs > 0)) fail('tickMs must be positive');
}

/** The share of the day elapsed at `now`, clamped to [0, 1]. */
export function dayFraction(plan: PacingPlan, now: number): number {
  return Math.min(1, Math.max(0, (now - plan.start) / (plan.end - plan.start)));
}

/**
 * The planned share of the budget spent by day fraction τ: piecewise linear through the cumulative profile
 * (0 at τ = 0, 1 at τ = 1), τ itself for a uniform plan.
 */
export function plannedFraction(profile: readonly number[], tau: number): number {
  const t = Math.min(1, Math.max(0, tau));
  if (profile.length === 0) return t;
  const total = profile.reduce((s, w) => s + w, 0);
  const k = profile.length;
  const slice = Math.min(k - 1, Math.floor(t * k));
  let before = 0;
  for (let i = 0; i < slice; i++) before += profile[i]!;
  const inside = (t * k - slice) * profile[slice]!;
  return Math.min(1, (before + inside) / total);
}

/** The tick a moment falls in (0 at the day's start; ticks before the start count as 0). */
export function tickOf(plan: PacingPlan, now: number): number {
  return Math.max(0, Math.floor((Math.min(now, plan.end) - plan.start) / plan.tickMs));
}
