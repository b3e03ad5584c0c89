import type { StagedPart } from '@bidfcl/contracts';

/** A two-arm staged part for tests: one numeric feature x, one categorical 'city', revenue 2x, cost 0.5 × arm. */
export const part = (xs: number[], cats: string[], arms: number[]): StagedPart => ({
  n: xs.length,
  m: 2,
  numeric: { x: Float64Array.from(xs) },
  categorical: { city: cats },
  arm: Int32Array.from(arms),
  revenue: Float64Array.from(xs.map((x) => x * 2)),
  cost: Float64Array.from(arms.map((a) => a * 0.5)),
});
