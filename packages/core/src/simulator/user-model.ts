/** Per-user response formulas of the simulator (docs/method.md §5), shared by the data draw and diagnostics. */

/** Numerically stable log(1 + e^z). */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** Logistic function. */
export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** The latent drivers of one user, already combined with the world's offsets. */
export interface UserDrivers {
  /** Baseline logit ℓ0 = a0 + w0·x + gamma·u. */
  baseLogit: number;
  /** Responsiveness s = softplus(w1·x + b1). */
  resp: number;
  /** Saturation κ = softplus(w2·x + b2) (coupon units). */
  sat: number;
  /** Basket value exp(w3·x + b3). */
  basket: number;
}

/**
 * Purchase probability, expected revenue and expected cost of every arm:
 * p_j = σ(ℓ0 + s·(1 − exp(−v_j/κ))), r_j = p_j · basket, c_j = v_j · p_j (a coupon costs only when used).
 * Writes m entries at `offset` of each output.
 */
export function armTruth(
  u: UserDrivers,
  armValues: readonly number[],
  prob: Float64Array,
  revenue: Float64Array,
  cost: Float64Array,
  offset: number,
): void {
  for (let j = 0; j < armValues.length; j++) {
    const v = armValues[j]!;
    // κ > 0 always (softplus); v = 0 gives exactly the baseline.
    const p = sigmoid(u.baseLogit + u.resp * (1 - Math.exp(-v / u.sat)));
    prob[offset + j] = p;
    revenue[offset + j] = p * u.basket;
    cost[offset + j] = v * p;
  }
}
