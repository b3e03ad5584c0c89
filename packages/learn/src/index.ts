export {};
export { conjugateGradient } from './bilevel/conjugate-gradient.js';
export type { CgOptions, CgResult } from './bilevel/conjugate-gradient.js';
export { fdHvp, fdMixed } from './bilevel/finite-difference.js';
export { implicitHypergradient, explicitHypergradient } from './bilevel/hypergradient.js';
export type {
  HypergradAnswer,
  HypergradientBase,
  ImplicitHypergradientInput,
  ExplicitHypergradientInput,
} from './bilevel/hypergradient.js';
export {
  flatGradient,
  flatGradient2,
  tensorsFromFlat,
  flatFromTensors,
  shapesSize,
} from './bilevel/tensor-closures.js';
export type { ParamShapes } from './bilevel/tensor-closures.js';
export type { Vec } from './bilevel/vector-ops.js';
export { initBackend } from './backend.js';
export {
  loadScoringModel,
  predictSavedModel,
  type SavedModel,
  type ScoringEncoding,
  type ScoringModel,
} from './saved-model.js';
export type { BackendPreference } from './backend.js';
export { dense, denseReference } from './dense.js';
export type { DenseActivation } from './dense.js';
export { initMlp, mlpForward, layerSizes, paramShapes, paramNames } from './mlp.js';
export type { MlpSpec } from './mlp.js';
export {
  ParamSet,
  paramsToArrays,
  arraysToParams,
  flattenParams,
  unflattenParams,
  flattenTensors,
  unflattenTensor,
  countParams,
  disposeParams,
} from './params.js';
export type { NamedArray } from './params.js';
export { Adam } from './adam.js';
export type { AdamOptions, AdamState } from './adam.js';
export { upliftSpec, armsOf, splitHeads, costMaskOf, predictScores } from './uplift-model.js';
export type { TargetScale } from './uplift-model.js';
export { DeviceTable, concatTables, oneHotOf, batchFromHost } from './device-table.js';
export { constMatMul, headMatrix, combineHeads } from './heads.js';
export type { Batch, HostBatch } from './device-table.js';
export * from './losses.js';
export { fitPropensityModel, predictPropensities, ipsWeights } from './propensity-model.js';
export type { PropensityModel, PropensityFitOptions } from './propensity-model.js';
export {
  standardisedOutcomes,
  trainBudgetPerUser,
  dualLambdas,
  batchLambdaStar,
  MAX_TRAINING_LAMBDA,
} from './lambda-selection.js';
export { makeDecisionContext, decisionLoss, dfclLoss } from './dfcl-objective.js';
export type { DecisionContext, DecisionLossKind, RctRows } from './dfcl-objective.js';
export { validationLoss, validationEom } from './evaluate.js';
export type { ValidationEom } from './evaluate.js';
export { runTrainingLoop, trainStep } from './train-loop.js';
export type { TrainerState, TrainHooks, TrainResult, EpochReport, LoopSpec } from './train-loop.js';
export { trainModel, TRAIN_METHODS } from './train-model.js';
export type { TrainMethod, TrainData, TrainSettings } from './train-model.js';
export {
  bridgeSpecOf,
  gateValues,
  fixedGates,
  counterfactualMask,
  lowerLoss,
  lowerLossFromPred,
  lowerPotentialFromPred,
  potentialGatePart,
  disposeBatch,
} from './bidfcl/lower-level.js';
export { upperLoss } from './bidfcl/upper-level.js';
export { selectHypergradBatches } from './bidfcl/batches.js';
export type { HypergradBatches, HypergradSeeds } from './bidfcl/batches.js';
export { createBidfclContext, lowerBatch } from './bidfcl/context.js';
export type { BidfclContext, BidfclContextData, BidfclData } from './bidfcl/context.js';
export { hypergradStep, hypergradStepFromSeeds } from './bidfcl/hypergrad-step.js';
export { lowerLevelProducts } from './bidfcl/lower-products.js';
export type { HypergradState } from './bidfcl/hypergrad-step.js';
export { BIDFCL_METHODS, methodParts, selectionCriterion } from './bidfcl/settings.js';
export type { BidfclSettings, BidfclMethod } from './bidfcl/settings.js';
export type { BidfclState, HypergradTotals, EpochAccumulator } from './bidfcl/state.js';
export { trainBidfcl } from './bidfcl/train-bidfcl.js';
export { hypergradSeeds } from './bidfcl/steps.js';
export { emaWeight, ParamAverage } from './bidfcl/ema.js';
export type { BidfclHooks, BidfclResult, BidfclEpochReport, RequestHypergradient } from './bidfcl/train-types.js';
export { mlpHvp, mlpJvp } from './bilevel/mlp-hvp.js';
export type { OutputLoss } from './bilevel/mlp-hvp.js';
export { drLoss, imputationLoss, propensityCrossEntropy, targetedRegularisation } from './debias/debias-losses.js';
export { metaGradient } from './debias/meta-debias.js';
export type { AuxiliaryTrainer, AuxiliaryState } from './train-loop.js';
