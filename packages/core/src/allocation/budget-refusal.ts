import type { AllocationThreshold } from './threshold.js';

const money = (x: number) => x.toPrecision(8);

/**
 * Why a budget is refused when the coarse round needs no λ* search: below the cost of everyone's cheapest arm
 * (infeasible), or at or above that of everyone's revenue-maximising arm (it does not bind: λ* = 0). Both are
 * refused rather than allocated, so that a budget typed in the wrong unit stops with the figure it needs.
 */
export function budgetRefusal(t: AllocationThreshold, users: number): string {
  const budget = money(t.budget);
  if (t.status === 'infeasible')
    return (
      `budget ${budget} is below ${money(t.baseCost)}, the predicted cost of giving each of the ${users} users ` +
      `their cheapest arm: no allocation fits`
    );
  return (
    `budget ${budget} is at or above ${money(t.topCost)}, the predicted cost of giving every user their ` +
    `revenue-maximising arm: it does not bind (λ* = 0); give a budget below ${money(t.topCost)}`
  );
}
