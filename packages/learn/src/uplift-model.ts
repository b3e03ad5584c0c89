import * as tf from '@tensorflow/tfjs';
import type { FeatureTable, ScoreMatrix } from '@bidfcl/contracts';
import { combineHeads } from './heads.js';
import { mlpForward, type MlpSpec } from './mlp.js';

/** Scale of the targets: models learn revenue / scale.revenue and cost / scale.cost (docs/method.md §3.6). */
export interface TargetScale {
  revenue: number;
  cost: number;
}

/**
 * The multi-head uplift model (docs/method.md §3.6): `inputDim` features → hidden ReLU layers → 2M softplus outputs,
 * the first M revenue per arm, the last M cost per arm, in standardised units (targets ÷ their RCT standard
 * deviation, not centred, so that softplus outputs stay valid).
 */
export function upliftSpec(inputDim: number, m: number, hidden: number[] = [128, 64, 32]): MlpSpec {
  return { inputDim, hidden: [...hidden], outputDim: 2 * m, outputActivation: 'softplus' };
}

/** Arms per head of an uplift spec. */
export function armsOf(spec: MlpSpec): number {
  if (spec.outputDim % 2 !== 0) throw new Error(`uplift model needs an even output size (2M), got ${spec.outputDim}`);
  return spec.outputDim / 2;
}

/** Splits the [B, 2M] output into revenue [B, M] and cost [B, M] heads (differentiable, fast on wasm). */
export function splitHeads(pred: tf.Tensor2D): { r: tf.Tensor2D; c: tf.Tensor2D } {
  const m = pred.shape[1] / 2;
  const ones = new Array<number>(m).fill(1);
  const zeros = new Array<number>(m).fill(0);
  return { r: combineHeads(pred, ones, zeros), c: combineHeads(pred, zeros, ones) };
}

/** 1 for arms whose cost is predicted, 0 for arms that cost nothing by definition (ĉ fixed to 0). */
export function costMaskOf(zeroCostArms: boolean[]): number[] {
  return zeroCostArms.map((z) => (z ? 0 : 1));
}

/**
 * Predicted revenue and cost for every row and arm in RAW units (standardised outputs × scale), with ĉ_ij = 0
 * for the zero-cost arms (docs/method.md §3.6: otherwise a decision-trained model can make arm 0 look costly).
 * Works in batches of `batchSize` rows inside tf.tidy, so no tensor outlives the call.
 */
export function predictScores(
  params: tf.Tensor[],
  spec: MlpSpec,
  table: FeatureTable,
  scale: TargetScale,
  zeroCostArms: boolean[],
  batchSize = 8192,
): ScoreMatrix {
  const m = armsOf(spec);
  if (table.m !== m) throw new Error(`predictScores: table has ${table.m} arms, model predicts ${m}`);
  if (table.d !== spec.inputDim)
    throw new Error(`predictScores: table has ${table.d} features, model expects ${spec.inputDim}`);
  if (zeroCostArms.length !== m)
    throw new Error(`predictScores: zeroCostArms has ${zeroCostArms.length} entries for ${m} arms`);
  const { n, d } = table;
  const r = new Float64Array(n * m);
  const c = new Float64Array(n * m);
  for (let start = 0; start < n; start += batchSize) {
    const rows = Math.min(batchSize, n - start);
    const out = tf.tidy(() => {
      const x = tf.tensor2d(table.x.subarray(start * d, (start + rows) * d), [rows, d]);
      return mlpForward(params, x, spec);
    });
    const v = out.dataSync();
    out.dispose();
    for (let i = 0; i < rows; i++) {
      const src = i * 2 * m;
      const dst = (start + i) * m;
      for (let j = 0; j < m; j++) {
        r[dst + j] = (v[src + j] as number) * scale.revenue;
        c[dst + j] = zeroCostArms[j] ? 0 : (v[src + m + j] as number) * scale.cost;
      }
    }
  }
  return { n, m, r, c };
}
