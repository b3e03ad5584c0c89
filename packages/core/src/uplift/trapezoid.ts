/**
 * Area under a polyline by the trapezoid rule, Σ (x[i+1] − x[i])·(y[i] + y[i+1])/2 — scikit-learn's `auc` for
 * an ascending x. A non-monotone x gives the signed area (scikit-learn would refuse it); callers warn where
 * that can happen.
 */
export function trapezoidArea(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new Error(`trapezoidArea: x has ${x.length} points, y has ${y.length}`);
  let area = 0;
  for (let i = 0; i + 1 < x.length; i++) area += ((x[i + 1]! - x[i]!) * (y[i]! + y[i + 1]!)) / 2;
  return area;
}
