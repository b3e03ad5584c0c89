/**
 * The arm a user of the night's allocation gets while λ is paced (docs/method.md §8). The replica holds only the
 * user's arm j at λ* and its exit λ, Δr̂/Δĉ against arm 0, not every arm's scores. Above λ* the user keeps j while
 * r̂_j − λĉ_j ≥ r̂_0 − λĉ_0, i.e. λ ≤ exit λ, and gets arm 0 after (a two-arm reading of the hull: an intermediate
 * arm is not offered). Below λ* the user keeps j: upgrading needs the scores, which POST /v1/decide has. After the
 * hard stop, arm 0.
 */
export function batchArmAt(arm: number, exitLambda: number, lambdaStar: number, lambda: number, exhausted: boolean) {
  if (exhausted) return 0;
  if (arm !== 0 && lambda > lambdaStar && lambda > exitLambda) return 0;
  return arm;
}
