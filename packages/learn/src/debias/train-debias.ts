import type { DebiasConfig, DebiasMethod, FeatureTable, TrainingConfig } from '@bidfcl/contracts';
import { deriveSeed } from '@bidfcl/core';
import { DeviceTable } from '../device-table.js';
import type { MlpSpec } from '../mlp.js';
import { fitPropensityModel, ipsWeights } from '../propensity-model.js';
import type { TargetScale } from '../uplift-model.js';
import type { AuxiliaryTrainer } from '../train-loop.js';
import { autodebiasParameterisation } from './autodebias.js';
import { drJtTrainer } from './dr-jt.js';
import { dragonnetTrainer } from './dragonnet.js';
import { ltdDrParameterisation } from './ltd-dr.js';
import { metaDebiasTrainer } from './meta-debias.js';

/** What a debiasing baseline trains on and how (for `runTrainingLoop`); the caller disposes both. */
export interface DebiasSetup {
  /** The OBS rows θ steps over. */
  train: DeviceTable;
  auxiliary: AuxiliaryTrainer & { dispose(): void };
  /** Other tables to release after training. */
  dispose(): void;
}

/**
 * Builds the auxiliary trainer of dr-jt, dragonnet, ltd-dr or autodebias (docs/method.md §3.7–§3.10). The
 * propensity model (dr-jt, the start of ltd-dr's learned propensities) is the project's multinomial logistic
 * model fitted on the OBS rows, as for tsm-ips.
 */
export function debiasSetup(
  method: DebiasMethod,
  data: { obs: FeatureTable; rct: FeatureTable; scale: TargetScale },
  spec: MlpSpec,
  cfg: { training: TrainingConfig; debias: DebiasConfig; seed: number },
): DebiasSetup {
  const { training, debias, seed } = cfg;
  const { obs, rct, scale } = data;
  const maxWeight = training.maxIpsWeight;
  const propensity = () => fitPropensityModel(obs, deriveSeed(seed, 'propensity'));
  if (method === 'dr-jt') {
    const train = new DeviceTable(obs, scale, ipsWeights(propensity(), obs, maxWeight));
    const auxiliary = drJtTrainer(spec, train, training.learningRate, deriveSeed(seed, 'imputation'));
    return { train, auxiliary, dispose: () => train.dispose() };
  }
  if (method === 'dragonnet') {
    const train = new DeviceTable(obs, scale);
    const opts = { ...debias, maxWeight, learningRate: training.learningRate };
    const auxiliary = dragonnetTrainer(spec, train, opts, deriveSeed(seed, 'dragonnet-head'));
    return { train, auxiliary, dispose: () => train.dispose() };
  }
  const train = new DeviceTable(obs, scale);
  const rctTable = new DeviceTable(rct, scale);
  const param =
    method === 'ltd-dr'
      ? ltdDrParameterisation(propensity(), obs, scale, maxWeight)
      : autodebiasParameterisation(obs, scale);
  const auxiliary = metaDebiasTrainer(spec, train, rctTable, param, { ...debias, seed: deriveSeed(seed, method) });
  return {
    train,
    auxiliary,
    dispose: () => {
      train.dispose();
      rctTable.dispose();
    },
  };
}
