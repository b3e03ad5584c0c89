import type { ScoreMatrix, ValueCurvePoint } from '@bidfcl/contracts';
import { buildLagrangianPath, type LagrangianPath } from '../allocation/lagrangian-path.js';
import type { RctOutcomes } from '../allocation/ipw.js';
import { ipwRandomReference, randomReference } from '../allocation/random-reference.js';

/** Budgets of a value–budget curve: dense enough to draw a smooth line, few enough to keep metrics.json small. */
export const VALUE_CURVE_POINTS = 50;

/** `points` budgets evenly spaced from 0 to `max` (both included); [0] when max is not positive. */
export function budgetGrid(max: number, points = VALUE_CURVE_POINTS): number[] {
  if (!(max > 0) || points < 2) return [0];
  return Array.from({ length: points }, (_, k) => (max * k) / (points - 1));
}

/** Per-user running sums of one outcome of the current decisions, updated one user's switch at a time. */
interface Running {
  revenue: number;
  cost: number;
}

/**
 * For each budget (ascending, per user), the revenue of the decisions just before the walk down the Lagrangian
 * path first spends more than the budget. `switchDelta` gives how one increment changes revenue and cost;
 * increments of equal slope (one λ) are applied together, as a λ decides them together. One walk serves every
 * budget: O(increments + budgets), which is why the curve is cheap where bisection per budget would not be.
 */
function firstCrossings(
  path: LagrangianPath,
  start: Running,
  switchDelta: (q: number) => Running,
  budgets: readonly number[],
  n: number,
): Running[] {
  const out: Running[] = [];
  const now = { ...start };
  const recordUpTo = (spend: number) => {
    while (out.length < budgets.length && spend > budgets[out.length]! * n) out.push({ ...now });
  };
  // Budgets below the cheapest decisions' spend get those decisions (nothing cheaper is on the path).
  recordUpTo(now.cost);
  const { order, slope } = path;
  for (let pos = 0; pos < order.length;) {
    const s = slope[order[pos]!]!;
    const next = { ...now };
    for (; pos < order.length && slope[order[pos]!] === s; pos++) {
      const d = switchDelta(order[pos]!);
      next.revenue += d.revenue;
      next.cost += d.cost;
    }
    recordUpTo(next.cost);
    Object.assign(now, next);
  }
  while (out.length < budgets.length) out.push({ ...now });
  return out.map((r) => ({ revenue: r.revenue / n, cost: r.cost / n }));
}

/** IPW sums (not yet divided by n) of the path's base decisions, and the change of one increment. */
function ipwWalk(path: LagrangianPath, rct: RctOutcomes) {
  const weight = (i: number, arm: number): number => (rct.arm[i] === arm ? 1 / rct.propensities[arm]! : 0);
  const start: Running = { revenue: 0, cost: 0 };
  for (let i = 0; i < path.n; i++) {
    const w = weight(i, path.base[i]!);
    start.revenue += w * rct.revenue[i]!;
    start.cost += w * rct.cost[i]!;
  }
  const delta = (q: number): Running => {
    const i = path.user[q]!;
    const w = weight(i, path.to[q]!) - weight(i, path.from[q]!);
    return { revenue: w * rct.revenue[i]!, cost: w * rct.cost[i]! };
  };
  return { start, delta };
}

/** True sums of the path's base decisions, and the change of one increment (simulator only). */
function trueWalk(path: LagrangianPath, truth: ScoreMatrix) {
  const { m } = path;
  const start: Running = { revenue: 0, cost: 0 };
  for (let i = 0; i < path.n; i++) {
    start.revenue += truth.r[i * m + path.base[i]!]!;
    start.cost += truth.c[i * m + path.base[i]!]!;
  }
  const delta = (q: number): Running => {
    const i = path.user[q]!;
    const to = i * m + path.to[q]!;
    const from = i * m + path.from[q]!;
    return { revenue: truth.r[to]! - truth.r[from]!, cost: truth.c[to]! - truth.c[from]! };
  };
  return { start, delta };
}

/**
 * A method's value–budget curve from its scores (docs/method.md §4, "Value–budget curve"): at each budget the
 * IPW revenue and cost of the decisions on the path just before their IPW cost first exceeds it, and with
 * `truth` the true revenue just before the true cost does. The table's EOM bisects λ per budget instead; both
 * walk the same decisions ĵ(λ), so they differ only where the noisy IPW cost crosses a budget more than once.
 */
export function valueCurve(
  scores: ScoreMatrix,
  rct: RctOutcomes,
  truth: ScoreMatrix | undefined,
  budgets: readonly number[],
): ValueCurvePoint[] {
  const n = scores.n;
  if (n === 0 || budgets.length === 0) return [];
  if (budgets.some((b, g) => g > 0 && b < budgets[g - 1]!)) throw new Error('valueCurve: budgets must ascend');
  const path = buildLagrangianPath(scores);
  const ipw = ipwWalk(path, rct);
  const eom = firstCrossings(path, ipw.start, ipw.delta, budgets, n);
  const tw = truth ? trueWalk(path, truth) : undefined;
  const tv = tw ? firstCrossings(path, tw.start, tw.delta, budgets, n) : undefined;
  return budgets.map((budget, g) => ({
    budget,
    eom: eom[g]!.revenue,
    eomCost: eom[g]!.cost,
    ...(tv ? { trueValue: tv[g]!.revenue } : {}),
  }));
}

/** The 'random' reference's curve: its closed-form value at each budget (it has no scores, hence no path). */
export function randomValueCurve(
  rct: RctOutcomes,
  truth: ScoreMatrix | undefined,
  budgets: readonly number[],
): ValueCurvePoint[] {
  return budgets.map((budget) => {
    const r = ipwRandomReference(rct, budget);
    return {
      budget,
      eom: r.value,
      eomCost: r.cost,
      ...(truth ? { trueValue: randomReference(truth, budget).value } : {}),
    };
  });
}
