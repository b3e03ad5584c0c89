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

/**
 * One validated input part as the feature builder stages it between its part and finalize jobs: raw
 * (unstandardised) values in the roles the dataset spec gives its columns, the arm as an index.
 */
export interface StagedPart {
  /** Rows. */
  n: number;
  /** Arms. */
  m: number;
  /** Numeric feature columns by name, raw units. */
  numeric: Record<string, Float64Array>;
  /** Categorical feature columns by name, as text. */
  categorical: Record<string, string[]>;
  /** Arm index per row, 0..m-1. */
  arm: Int32Array;
  revenue: Float64Array;
  cost: Float64Array;
  userId?: string[];
  /** n × m row-major true expected revenue / cost, when the input carries them. */
  trueRevenue?: Float64Array;
  trueCost?: Float64Array;
}
