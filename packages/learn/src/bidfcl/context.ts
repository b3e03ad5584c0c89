import * as tf from '@tensorflow/tfjs';
import type { FeatureTable } from '@bidfcl/contracts';
import { makeDecisionContext, type DecisionContext } from '../dfcl-objective.js';
import { concatTables, DeviceTable, type Batch } from '../device-table.js';
import { mlpForward, type MlpSpec } from '../mlp.js';
import type { TrainData } from '../train-model.js';
import { upliftSpec } from '../uplift-model.js';
import { bridgeSpecOf } from './lower-level.js';
import type { BidfclSettings } from './settings.js';

/** trainModel's data with the observational split required. */
export type BidfclData = TrainData & { obs: FeatureTable };

/** What a context needs (a hypergradient worker does not need the validation split). */
export type BidfclContextData = Pick<BidfclData, 'rct' | 'obs' | 'scale' | 'propensities' | 'zeroCostArms'>;

/**
 * What both the trainer and a hypergradient worker keep on the backend for one run: the lower-level table
 * (OBS, or OBS then RCT rows with lowerData 'obs+rct') with the frozen Teacher's predictions for every row
 * (computed once), the RCT training table and the fixed decision-loss context (λ* budget, τ, IFD window).
 */
export interface BidfclContext {
  spec: MlpSpec;
  bridgeSpec: MlpSpec;
  lower: DeviceTable;
  /** Teacher predictions on `lower`'s rows, [lower.n, 2M] (standardised units). */
  teacherPred: tf.Tensor2D;
  rct: DeviceTable;
  decision: DecisionContext;
  dispose(): void;
}

/** Teacher forward pass over a whole table in chunks (no tensors leak). */
function predictAll(params: tf.Tensor[], spec: MlpSpec, table: DeviceTable, chunk = 8192): tf.Tensor2D {
  const parts: tf.Tensor2D[] = [];
  for (let s = 0; s < table.n; s += chunk) {
    const e = Math.min(s + chunk, table.n);
    parts.push(tf.tidy(() => mlpForward(params, tf.slice(table.x, [s, 0], [e - s, table.d]) as tf.Tensor2D, spec)));
  }
  const all = tf.concat(parts, 0) as tf.Tensor2D;
  tf.dispose(parts);
  return all;
}

/**
 * Builds the context; `teacher` is read once here (the caller keeps ownership). A worker rebuilding it from the
 * same tables, the stored Teacher and the same settings gets bit-identical hypergradients (wasm is deterministic).
 */
export function createBidfclContext(
  data: BidfclContextData,
  teacher: tf.Tensor[],
  settings: BidfclSettings,
): BidfclContext {
  const { rct, obs, scale, propensities, zeroCostArms } = data;
  const spec = upliftSpec(rct.d, rct.m, settings.training.hidden);
  const lowerTable = settings.bidfcl.lowerData === 'obs+rct' ? concatTables(obs, rct) : obs;
  const lower = new DeviceTable(lowerTable, scale);
  const rctTable = new DeviceTable(rct, scale);
  const teacherPred = predictAll(teacher, spec, lower);
  const decision = makeDecisionContext(
    settings.dfcl,
    { arm: rctTable.arm, yr: rctTable.yr, yc: rctTable.yc, m: rct.m },
    propensities,
    zeroCostArms,
  );
  return {
    spec,
    bridgeSpec: bridgeSpecOf(spec),
    lower,
    teacherPred,
    rct: rctTable,
    decision,
    dispose() {
      lower.dispose();
      rctTable.dispose();
      teacherPred.dispose();
    },
  };
}

/** A lower-level batch: the table's batch plus the Teacher's predictions for its rows (call inside tf.tidy). */
export function lowerBatch(ctx: BidfclContext, rows: Int32Array): { batch: Batch; teacher: tf.Tensor2D } {
  const batch = ctx.lower.batch(rows);
  const idx = tf.tensor1d(rows, 'int32');
  const teacher = tf.gather(ctx.teacherPred, idx) as tf.Tensor2D;
  idx.dispose();
  return { batch, teacher };
}
