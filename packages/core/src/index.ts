export {};
export { createRng, deriveSeed } from './rng.js';
export type { Rng } from './rng.js';
export { decide, assertScoreMatrix } from './allocation/decide.js';
export { buildLagrangianPath, allocateOnPath } from './allocation/lagrangian-path.js';
export type { LagrangianPath, PathAllocation } from './allocation/lagrangian-path.js';
export { allocateBudget, trueValueAtBudget, oracleAtBudget } from './allocation/allocate-budget.js';
export type { AllocateBudgetOptions, BudgetAllocation, TrueValueResult } from './allocation/allocate-budget.js';
export { upperHull, hullScratch, segmentSlope } from './allocation/hull.js';
export type { HullScratch } from './allocation/hull.js';
export { ExactSums, EXACT_LIMBS } from './allocation/exact-sum.js';
export { tieKeyOf, tieKeysOf, TIE_KEY_LIMIT, type TieKeys } from './allocation/tie-key.js';
export { lambdaBin, lambdaBinEdges, LAMBDA_BINS, LAMBDA_MIN_EXP, LAMBDA_MAX_EXP } from './allocation/lambda-bins.js';
export { scanShard, mergeSummaries, BASE_COST } from './allocation/shard-scan.js';
export { encodeShardHulls, decodeShardHulls } from './allocation/hulls-codec.js';
export type { ShardHulls, ShardSummary, ShardScan } from './allocation/shard-scan.js';
export { listBinBreakpoints } from './allocation/bin-breakpoints.js';
export type { BinBreakpoints } from './allocation/bin-breakpoints.js';
export { coarseRound, fineRound } from './allocation/threshold.js';
export { budgetRefusal } from './allocation/budget-refusal.js';
export type { AllocationThreshold, CoarseRound } from './allocation/threshold.js';
export { assignShard, predictedOutcomes } from './allocation/assign-shard.js';
export type { PredictedOutcomes } from './allocation/assign-shard.js';
export { allocateShards } from './allocation/allocate-shards.js';
export { shardSummaryToJson, shardSummaryFromJson } from './allocation/summary-json.js';
export type { ShardSummaryJson } from './allocation/summary-json.js';
export type { ShardInput, ShardedAllocation } from './allocation/allocate-shards.js';
export { ipwValueAtLambda, ipwOfDecisions, drOfDecisions, ipwLambda, eomAtBudget } from './allocation/ipw.js';
export type { RctOutcomes, IpwValue, IpwLambdaOptions, IpwLambdaResult } from './allocation/ipw.js';
export {
  uniformRandomCost,
  arm0MeanCost,
  randomMixingProbability,
  sampleRandomPolicy,
  randomReference,
  ipwUniformRandomCost,
  ipwArm0MeanCost,
  ipwRandomReference,
  oracleCapture,
} from './allocation/random-reference.js';
export type { RandomReference } from './allocation/random-reference.js';
export {
  truthOf,
  rctOutcomesOf,
  randomCostPerUser,
  arm0CostPerUser,
  arm0Value,
  budgetLevels,
  budgetLevelsOf,
} from './budgets.js';
export type { BudgetLevel } from './budgets.js';
export { userIdsOf } from './user-ids.js';
export { UserIdSet } from './user-id-set.js';
export * from './uplift/index.js';
export { computeMethodMetrics } from './evaluation/compute-metrics.js';
export type { EvaluationInput, MethodInput } from './evaluation/compute-metrics.js';
export { twoArmCurves } from './evaluation/two-arm.js';
export { VALUE_CURVE_POINTS, budgetGrid, randomValueCurve, valueCurve } from './evaluation/value-curve.js';
export { partStats, mergeStats, stdOf } from './features/stats.js';
export type { PartStats, Moments } from './features/stats.js';
export { featureNamesFor, fitEncoding, encodePart } from './features/encode.js';
export type { Encoding } from './features/encode.js';
export { numericNamesOf, encodingMismatch, reencodeFeatures } from './features/reencode.js';
export { encodeRawFeatures, missingRawColumns, rawColumnsOf, FeatureEncodingError } from './features/encode-raw.js';
export type { RawFeatureColumn } from './features/encode-raw.js';
export { pickCandidate, decidePromotion } from './deploy/decide-promotion.js';
export type { Scored, PromotionInput } from './deploy/decide-promotion.js';
export { selectRows, rowRange } from './features/staged-rows.js';
export { carveDestinations } from './features/carve.js';
export { createWorld, projectionSd, sigmaInner } from './simulator/world.js';
export type { SimWorld } from './simulator/world.js';
export { softplus, sigmoid, armTruth } from './simulator/user-model.js';
export type { UserDrivers } from './simulator/user-model.js';
export { simulate, simulateSplit, SIM_SPLITS } from './simulator/simulate.js';
export type { SimSplit, SimSplitName, SimulatedData } from './simulator/simulate.js';
export { summarizeSimulation, formatSimulationSummary } from './simulator/summary.js';
export type { SimulationSummary, ArmEffect } from './simulator/summary.js';
export * from './pacing/index.js';
export { fitArmRidge, predictArmRidge, RIDGE_MAX_ROWS, type ArmRidge } from './evaluation/direct-model.js';
