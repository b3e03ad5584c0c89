import * as tf from '@tensorflow/tfjs';
import type { FeatureTable } from '@bidfcl/contracts';
import type { TargetScale } from './uplift-model.js';

/** A batch's rows on the JavaScript side (standardised targets), for λ* searches and IFD gradients. */
export interface HostBatch {
  n: number;
  m: number;
  arm: Int32Array;
  yr: Float32Array;
  yc: Float32Array;
  /** Per-row weights (tsm-ips), when the table has them. */
  weight?: Float32Array;
}

/** A minibatch as tensors (created inside the caller's tf.tidy) plus its host copy. */
export interface Batch {
  x: tf.Tensor2D;
  /** xᵀ, [d, B] (the first layer's weight gradient needs it; built on the host, no transpose kernel). */
  xT: tf.Tensor2D;
  /** One-hot of the factual arm, [B, M]. */
  oneHot: tf.Tensor2D;
  /** The one-hot repeated for both heads, [B, 2M]: selects r̂_{i,t_i} and ĉ_{i,t_i} from the model output. */
  oneHot2: tf.Tensor2D;
  /** y_r,i at column t_i and y_c,i at column M + t_i, zero elsewhere, [B, 2M]. */
  target2: tf.Tensor2D;
  yr: tf.Tensor1D;
  yc: tf.Tensor1D;
  weight?: tf.Tensor1D;
  host: HostBatch;
}

/**
 * A feature table with targets standardised by `scale` on the host. Batches are gathered on the host and
 * uploaded (on wasm, tf.gather of 4096 rows costs ~8 ms of CPU, a host gather plus upload ~0.2 ms); `x` also
 * lives on the backend for whole-table passes.
 */
export class DeviceTable {
  readonly n: number;
  readonly d: number;
  readonly m: number;
  readonly x: tf.Tensor2D;
  private readonly xHost: Float32Array;
  readonly arm: Int32Array;
  readonly yr: Float32Array;
  readonly yc: Float32Array;
  readonly weight: Float32Array | undefined;

  constructor(table: FeatureTable, scale: TargetScale, rowWeights?: Float32Array) {
    if (rowWeights && rowWeights.length !== table.n)
      throw new Error(`DeviceTable: ${rowWeights.length} weights for ${table.n} rows`);
    this.n = table.n;
    this.d = table.d;
    this.m = table.m;
    this.x = tf.tensor2d(table.x, [table.n, table.d]);
    this.xHost = table.x;
    this.arm = table.arm;
    this.yr = Float32Array.from(table.revenue, (v) => v / scale.revenue);
    this.yc = Float32Array.from(table.cost, (v) => v / scale.cost);
    this.weight = rowWeights;
  }

  /** Host copy of the given rows. */
  hostBatch(rows: ArrayLike<number>): HostBatch {
    const b = rows.length;
    const arm = new Int32Array(b);
    const yr = new Float32Array(b);
    const yc = new Float32Array(b);
    const w = this.weight ? new Float32Array(b) : undefined;
    for (let k = 0; k < b; k++) {
      const i = rows[k] as number;
      arm[k] = this.arm[i] as number;
      yr[k] = this.yr[i] as number;
      yc[k] = this.yc[i] as number;
      if (w) w[k] = (this.weight as Float32Array)[i] as number;
    }
    return w ? { n: b, m: this.m, arm, yr, yc, weight: w } : { n: b, m: this.m, arm, yr, yc };
  }

  /** Tensors for the given rows; call inside tf.tidy (the tensors are the caller's). */
  batch(rows: Int32Array): Batch {
    const { d } = this;
    const x = new Float32Array(rows.length * d);
    for (let k = 0; k < rows.length; k++) {
      const src = (rows[k] as number) * d;
      x.set(this.xHost.subarray(src, src + d), k * d);
    }
    return batchFromHost(x, d, this.hostBatch(rows));
  }

  /** All rows in order (for whole-table losses on small sets). */
  allRows(): Int32Array {
    return Int32Array.from({ length: this.n }, (_, i) => i);
  }

  dispose(): void {
    this.x.dispose();
  }
}

/**
 * Uploads a batch: features x (B × d, row-major) and the host rows. Builds xᵀ, the one-hots and the factual
 * target matrix on the host, where they cost a few microseconds, instead of as kernels.
 */
export function batchFromHost(x: Float32Array, d: number, host: HostBatch): Batch {
  const { n: b, m } = host;
  if (x.length !== b * d) throw new Error(`batchFromHost: ${x.length} feature values for ${b} rows × ${d}`);
  const xT = new Float32Array(b * d);
  for (let k = 0; k < b; k++) for (let f = 0; f < d; f++) xT[f * b + k] = x[k * d + f] as number;
  const oneHot2 = new Float32Array(b * 2 * m);
  const target2 = new Float32Array(b * 2 * m);
  for (let k = 0; k < b; k++) {
    const t = host.arm[k] as number;
    oneHot2[k * 2 * m + t] = 1;
    oneHot2[k * 2 * m + m + t] = 1;
    target2[k * 2 * m + t] = host.yr[k] as number;
    target2[k * 2 * m + m + t] = host.yc[k] as number;
  }
  const batch: Batch = {
    x: tf.tensor2d(x, [b, d]),
    xT: tf.tensor2d(xT, [d, b]),
    oneHot: oneHotOf(host.arm, m),
    oneHot2: tf.tensor2d(oneHot2, [b, 2 * m]),
    target2: tf.tensor2d(target2, [b, 2 * m]),
    yr: tf.tensor1d(host.yr),
    yc: tf.tensor1d(host.yc),
    host,
  };
  if (host.weight) batch.weight = tf.tensor1d(host.weight);
  return batch;
}

/** [B, M] float one-hot of the arms, built on the host (one upload instead of three kernels). */
export function oneHotOf(arm: Int32Array, m: number): tf.Tensor2D {
  const v = new Float32Array(arm.length * m);
  for (let i = 0; i < arm.length; i++) v[i * m + (arm[i] as number)] = 1;
  return tf.tensor2d(v, [arm.length, m]);
}

/** Stacks two tables with the same features and arms (tsm-both pools RCT and OBS rows). */
export function concatTables(a: FeatureTable, b: FeatureTable): FeatureTable {
  if (a.d !== b.d || a.m !== b.m) throw new Error(`concatTables: shapes differ (d ${a.d}/${b.d}, m ${a.m}/${b.m})`);
  const x = new Float32Array((a.n + b.n) * a.d);
  x.set(a.x, 0);
  x.set(b.x, a.n * a.d);
  const arm = new Int32Array(a.n + b.n);
  arm.set(a.arm, 0);
  arm.set(b.arm, a.n);
  const revenue = new Float64Array(a.n + b.n);
  revenue.set(a.revenue, 0);
  revenue.set(b.revenue, a.n);
  const cost = new Float64Array(a.n + b.n);
  cost.set(a.cost, 0);
  cost.set(b.cost, a.n);
  return { n: a.n + b.n, d: a.d, m: a.m, x, arm, revenue, cost };
}
