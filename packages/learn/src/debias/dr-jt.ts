import * as tf from '@tensorflow/tfjs';
import type { Adam } from '../adam.js';
import type { DeviceTable } from '../device-table.js';
import { initMlp, mlpForward, type MlpSpec } from '../mlp.js';
import type { AuxiliaryTrainer } from '../train-loop.js';
import { AuxParams } from './aux-params.js';
import { drLoss, imputationLoss } from './debias-losses.js';

/**
 * DR-JT as an auxiliary trainer (docs/method.md §3.7). Per batch: one Adam step of the imputation model on the
 * imputation loss, then one of θ on the DR loss with the (updated) imputation held. `table` carries
 * w_i = min(1/p̂(t_i | x_i), maxIpsWeight) from the project's propensity model as its row weights.
 */
export function drJtTrainer(
  spec: MlpSpec,
  table: DeviceTable,
  learningRate: number,
  seed: number,
): AuxiliaryTrainer & { imputation: AuxParams; dispose(): void } {
  if (!table.weight) throw new Error('dr-jt: the OBS table needs inverse-propensity row weights');
  const imputation = new AuxParams(initMlp(spec, seed), learningRate, 'imputation');
  return {
    imputation,
    step(vars: tf.Variable[], adam: Adam, rows: Int32Array): number {
      const value = tf.tidy(() => {
        const batch = table.batch(rows);
        const w = batch.weight as tf.Tensor1D;
        const imp = tf.variableGrads(
          () => imputationLoss(mlpForward(imputation.vars, batch.x, spec, batch.xT), batch, w),
          imputation.vars,
        );
        imputation.stepFrom(imp.grads);
        const imputed = mlpForward(imputation.vars, batch.x, spec, batch.xT);
        const { value: v, grads } = tf.variableGrads(
          () => drLoss(mlpForward(vars, batch.x, spec, batch.xT), imputed, batch, w),
          vars,
        );
        adam.step(vars.map((x) => grads[x.name] as tf.Tensor));
        return v;
      });
      const out = (value.dataSync() as Float32Array)[0] as number;
      value.dispose();
      return out;
    },
    getState: () => imputation.getState(),
    setState: (s) => imputation.setState(s),
    dispose: () => imputation.dispose(),
  };
}
