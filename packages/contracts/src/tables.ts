/**
 * In-memory, column-oriented tables shared by the pure packages. Row-major matrices in typed arrays keep
 * 200k × 20 features at 16 MB and hand straight to tensors.
 */

/** A standardised feature set for one split, as the feature builder writes it. */
export interface FeatureTable {
  /** Rows. */
  n: number;
  /** Features per row (after one-hot encoding). */
  d: number;
  /** Arms. */
  m: number;
  /** n × d, row-major, standardised. */
  x: Float32Array;
  /** Arm index per row, 0..m-1. */
  arm: Int32Array;
  /** Realised revenue per row (raw units). */
  revenue: Float64Array;
  /** Realised cost per row (raw units). */
  cost: Float64Array;
  userId?: string[];
  /** Simulator test rows: n × m true expected revenue / cost (raw units). */
  trueRevenue?: Float64Array;
  trueCost?: Float64Array;
}

/** Predicted (or true) revenue and cost for every user and arm, n × m row-major, raw units. */
export interface ScoreMatrix {
  n: number;
  m: number;
  r: Float64Array;
  c: Float64Array;
}
