/**
 * Shared shapes of the uplift-metric library. Everything returned is plain JSON (numbers, arrays, strings):
 * no NaN, no typed arrays, so a caller can `JSON.stringify` a result directly.
 */

/** A curve as parallel coordinate arrays (x ascending for every curve of this library except AUCC's Δcost). */
export interface Curve {
  x: number[];
  y: number[];
}

/**
 * A scalar metric with the notes produced while computing it. `warnings` explains every place where a library
 * would have produced NaN/±Infinity (an empty group, a zero normaliser) and what this library did instead.
 */
export interface ScoreResult {
  value: number;
  warnings: string[];
}

/** Numeric column accepted by the library (Float64Array, plain arrays, Int32Array, …). */
export type NumericColumn = ArrayLike<number>;
