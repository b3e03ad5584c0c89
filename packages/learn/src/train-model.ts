import type * as tf from '@tensorflow/tfjs';
import {
  DEBIAS_METHODS,
  debiasConfigSchema,
  type DebiasConfig,
  type DebiasMethod,
  type DfclConfig,
  type FeatureTable,
  type TrainingConfig,
} from '@bidfcl/contracts';
import { deriveSeed } from '@bidfcl/core';
import { initBackend } from './backend.js';
import { dfclLoss, makeDecisionContext, type DecisionLossKind } from './dfcl-objective.js';
import { debiasSetup, type DebiasSetup } from './debias/train-debias.js';
import { concatTables, DeviceTable, type Batch } from './device-table.js';
import { validationDirect, validationEom, validationLoss } from './evaluate.js';
import { initMlp } from './mlp.js';
import { factualMseLoss, ipsMseLoss } from './mse-losses.js';
import { fitPropensityModel, ipsWeights } from './propensity-model.js';
import { runTrainingLoop, type TrainHooks, type TrainResult } from './train-loop.js';
import { upliftSpec, type TargetScale } from './uplift-model.js';

/** Methods `trainModel` trains (docs/method.md §3; Bi-DFCL lives in its own trainer). */
export type TrainMethod =
  'tsm-rct' | 'tsm-obs' | 'tsm-both' | 'tsm-ips' | 'dfcl-dpl' | 'dfcl-difd' | 'dfcl-ppl' | 'dfcl-pifd' | DebiasMethod;

export const TRAIN_METHODS: readonly TrainMethod[] = [
  'tsm-rct',
  'tsm-obs',
  'tsm-both',
  'tsm-ips',
  'dfcl-dpl',
  'dfcl-difd',
  'dfcl-ppl',
  'dfcl-pifd',
  ...DEBIAS_METHODS,
];

export interface TrainData {
  /** RCT training split. */
  rct: FeatureTable;
  /** RCT validation split (early stopping / checkpoint selection). */
  val: FeatureTable;
  /** Observational split (tsm-obs, tsm-both, tsm-ips). */
  obs?: FeatureTable;
  /** RCT assignment probability of each arm. */
  propensities: number[];
  /** manifest.targetScale: models learn targets ÷ these. */
  scale: TargetScale;
  /** Arms with ĉ = 0 by definition. */
  zeroCostArms: boolean[];
}

export interface TrainSettings {
  training: TrainingConfig;
  dfcl: DfclConfig;
  /** The debiasing baselines' options (absent: the schema's defaults). */
  debias?: DebiasConfig;
  seed: number;
}

function needObs(method: TrainMethod, data: TrainData): FeatureTable {
  if (!data.obs) throw new Error(`${method} needs the observational split (data.obs)`);
  return data.obs;
}

/**
 * Trains one method. TSM (tsm-*): Adam on the factual MSE (tsm-ips: weighted by clipped inverse estimated
 * propensities), early stopping on the validation MSE, best epoch kept. DFCL (dfcl-*): Adam on
 * α·L_PL + L_DL on the RCT split, checkpoint selection and early stopping on the IPW EOM of the validation
 * split at DfclConfig.trainBudget. The debiasing baselines (dr-jt, dragonnet, ltd-dr, autodebias; docs/method.md
 * §3.7–§3.10) train on OBS (ltd-dr and autodebias meta-learn on RCT) and are selected like TSM. Every epoch
 * reports the validation MSE and EOM. Deterministic in cfg.seed.
 * The caller disposes result.params / result.lastParams.
 */
export async function trainModel(
  method: TrainMethod,
  data: TrainData,
  cfg: TrainSettings,
  hooks: TrainHooks = {},
): Promise<TrainResult> {
  await initBackend();
  const { training, dfcl, seed } = cfg;
  const { rct, val, scale, zeroCostArms, propensities } = data;
  const m = rct.m;
  if (propensities.length !== m || zeroCostArms.length !== m) {
    throw new Error(
      `trainModel: ${m} arms but ${propensities.length} propensities and ${zeroCostArms.length} zeroCostArms entries`,
    );
  }
  const spec = upliftSpec(rct.d, m, training.hidden);
  let trainTable: DeviceTable;
  let loss: (pred: tf.Tensor2D, batch: Batch) => tf.Scalar;
  let decisionFocused = false;
  let debias: DebiasSetup | undefined;
  switch (method) {
    case 'tsm-rct':
    case 'tsm-obs':
    case 'tsm-both': {
      const t =
        method === 'tsm-rct'
          ? rct
          : method === 'tsm-obs'
            ? needObs(method, data)
            : concatTables(rct, needObs(method, data));
      trainTable = new DeviceTable(t, scale);
      loss = factualMseLoss;
      break;
    }
    case 'tsm-ips': {
      const obs = needObs(method, data);
      const model = fitPropensityModel(obs, deriveSeed(seed, 'propensity'));
      const w = ipsWeights(model, obs, training.maxIpsWeight);
      const meanWeight = w.reduce((s, v) => s + v, 0) / w.length;
      trainTable = new DeviceTable(obs, scale, w);
      loss = (pred, batch) => ipsMseLoss(pred, batch, meanWeight);
      break;
    }
    case 'dr-jt':
    case 'dragonnet':
    case 'ltd-dr':
    case 'autodebias': {
      const settings = { training, debias: cfg.debias ?? debiasConfigSchema.parse({}), seed };
      debias = debiasSetup(method, { obs: needObs(method, data), rct, scale }, spec, settings);
      trainTable = debias.train;
      loss = factualMseLoss; // unused: the auxiliary trainer takes every step
      break;
    }
    default: {
      const kind = method.slice('dfcl-'.length) as DecisionLossKind;
      trainTable = new DeviceTable(rct, scale);
      const ctx = makeDecisionContext(
        dfcl,
        { arm: trainTable.arm, yr: trainTable.yr, yc: trainTable.yc, m },
        propensities,
        zeroCostArms,
      );
      loss = (pred, batch) => dfclLoss(kind, pred, batch, ctx);
      decisionFocused = true;
    }
  }
  const valTable = new DeviceTable(val, scale);
  const direct = validationDirect(training.validationEstimator, rct, val);
  try {
    return await runTrainingLoop(
      {
        method,
        spec,
        train: trainTable,
        epochs: training.epochs,
        batchSize: training.batchSize,
        learningRate: training.learningRate,
        patience: training.patience,
        seed,
        initParams: () => initMlp(spec, deriveSeed(seed, 'init')),
        loss,
        lossField: decisionFocused ? 'upperLoss' : 'lowerLoss',
        selectedBy: decisionFocused ? 'valEom' : 'valLoss',
        selectionWindow: training.selectionWindow,
        ...(debias ? { auxiliary: debias.auxiliary } : {}),
        validate: (params) => {
          const valLoss = validationLoss(params, spec, valTable);
          const budget = dfcl.trainBudget;
          const valEom = validationEom(params, spec, val, scale, zeroCostArms, propensities, budget, direct).eom;
          return { fields: { valLoss, valEom }, score: decisionFocused ? valEom : -valLoss };
        },
      },
      hooks,
    );
  } finally {
    if (debias) {
      debias.auxiliary.dispose();
      debias.dispose();
    } else trainTable.dispose();
    valTable.dispose();
  }
}
