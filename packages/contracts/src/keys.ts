import { assertSafeId } from './ids.js';
import type { Split } from './dataset.js';
import type { MethodId } from './methods.js';

/**
 * The only place artefact keys are built. Every id is validated, so no key escapes its prefix. The file names
 * inside a model or checkpoint folder (model.json, weights.bin, checkpoint.bin) belong to io's formats.
 */
const pad = (i: number) => {
  if (!Number.isInteger(i) || i < 0) throw new Error(`part index must be a non-negative integer, got ${i}`);
  return String(i).padStart(5, '0');
};
const run = (runId: string) => `runs/${assertSafeId(runId, 'run id')}`;
const model = (name: string) => `models/${assertSafeId(name, 'model name')}`;
const version = (v: number) => {
  if (!Number.isInteger(v) || v < 1) throw new Error(`a model version is an integer ≥ 1, got ${v}`);
  return String(v);
};
const method = (m: MethodId | string) => assertSafeId(m, 'method');
const allocation = (id: string) => `allocations/${assertSafeId(id, 'allocation id')}`;
/** Work in progress of an allocation, outside allocations/<id>/ so that nothing there is ever half-written. */
const allocationStaging = (id: string) => `allocation-staging/${assertSafeId(id, 'allocation id')}`;
/** A folder a dataset is written into: '' (a store's root) or a prefix ending in '/'. */
const folder = (prefix: string) => {
  if (prefix !== '' && !prefix.endsWith('/')) throw new Error(`a dataset folder is '' or ends in '/', got '${prefix}'`);
  return prefix;
};
const datasetPrefix = (name: string, version: string) =>
  `datasets/${assertSafeId(name, 'dataset name')}/${assertSafeId(version, 'dataset version')}/`;
const hypergradSteps = (runId: string, m: MethodId | string) => `${run(runId)}/models/${method(m)}/hypergrad/`;
const hypergradStep = (runId: string, m: MethodId | string, step: number) => `${hypergradSteps(runId, m)}${pad(step)}/`;
const featuresStagingPrefix = (runId: string, split: Split) => `${run(runId)}/features/staging/${split}/`;
/** A part of a dataset written under `prefix` (a `datasetPrefix`, or a folder the user named). */
const datasetPartIn = (prefix: string, split: Split, part: number) =>
  `${folder(prefix)}${split}/part-${pad(part)}.parquet`;
/** The dataset description (spec) written beside the parts under `prefix`. */
const datasetSpecIn = (prefix: string) => `${folder(prefix)}dataset.yaml`;
/** A store source naming a dataset's newest version: `datasets/<name>/@latest/<rest>`. */
const LATEST_DATASET = /^datasets\/([^/]+)\/@latest\//;

export const keys = {
  /** Every run's folder lies one level below this prefix. */
  runsPrefix: () => 'runs/',
  /**
   * A dataset's versions lie one level below this prefix. The name comes from a source URI and may name a folder
   * put there by hand, so it is not held to the safe-id alphabet: the store's own key check applies.
   */
  datasetVersionsPrefix: (name: string) => {
    if (!name || name.includes('/')) throw new Error(`invalid dataset name '${name}'`);
    return `datasets/${name}/`;
  },
  datasetPrefix,
  datasetPart: (name: string, version: string, split: Split, part: number) =>
    datasetPartIn(datasetPrefix(name, version), split, part),
  /** dataset.yaml of a dataset version in the store. */
  datasetSpec: (name: string, version: string) => datasetSpecIn(datasetPrefix(name, version)),
  datasetPartIn,
  datasetSpecIn,
  /** The scenario a simulated dataset under `prefix` was drawn from. */
  datasetScenarioIn: (prefix: string) => `${folder(prefix)}scenario.json`,
  /** The dataset name of a `datasets/<name>/@latest/…` source key, or undefined for any other key. */
  latestDatasetName: (key: string) => LATEST_DATASET.exec(key)?.[1],
  /** A `datasets/<name>/@latest/…` source key with `@latest` replaced by a version found in the store. */
  withDatasetVersion: (key: string, version: string) => {
    const m = LATEST_DATASET.exec(key);
    if (!m) throw new Error(`'${key}' does not name a dataset's @latest version`);
    if (!version || version.includes('/')) throw new Error(`invalid dataset version '${version}'`);
    return `datasets/${m[1]}/${version}/${key.slice(m[0].length)}`;
  },
  runPrefix: (runId: string) => `${run(runId)}/`,
  runJson: (runId: string) => `${run(runId)}/run.json`,
  stageRecord: (runId: string, stage: string) => `${run(runId)}/stages/${assertSafeId(stage, 'stage')}.json`,
  stagesPrefix: (runId: string) => `${run(runId)}/stages/`,
  featuresManifest: (runId: string) => `${run(runId)}/features/manifest.json`,
  featuresPart: (runId: string, split: Split, part: number) =>
    `${run(runId)}/features/${split}/part-${pad(part)}.parquet`,
  featuresStagingPrefix,
  featuresStaging: (runId: string, split: Split, part: number) =>
    `${featuresStagingPrefix(runId, split)}part-${pad(part)}.parquet`,
  featuresStagingStats: (runId: string, split: Split, part: number) =>
    `${featuresStagingPrefix(runId, split)}part-${pad(part)}.stats.json`,
  /** The statistics beside a staging part, from the part's key (as a listing of the staging folder finds it). */
  featuresStagingStatsOf: (stagingKey: string) => {
    if (!stagingKey.endsWith('.parquet')) throw new Error(`'${stagingKey}' is not a staging part (a .parquet key)`);
    return `${stagingKey.slice(0, -'.parquet'.length)}.stats.json`;
  },
  model: (runId: string, m: MethodId | string, role: 'teacher' | 'target' | 'bridge') =>
    `${run(runId)}/models/${method(m)}/${role}/`,
  modelSummary: (runId: string, m: MethodId | string) => `${run(runId)}/models/${method(m)}/training.json`,
  checkpoint: (runId: string, m: MethodId | string, name: string) =>
    `${run(runId)}/models/${method(m)}/checkpoints/${assertSafeId(name, 'checkpoint')}`,
  /** The folder of every Bi-DFCL hypergradient step of a method: it lives as long as the method's training job. */
  hypergradSteps,
  /** The folder of one Bi-DFCL hypergradient step: its θ and φ snapshots and the ∇φ it returns. */
  hypergradStep,
  hypergrad: (runId: string, m: MethodId | string, step: number, what: 'theta' | 'phi' | 'grad') =>
    `${hypergradStep(runId, m, step)}${what}.bin`,
  allocationLambda: (runId: string, m: MethodId | string) => `${run(runId)}/allocation/${method(m)}/lambda.json`,
  allocationPart: (runId: string, m: MethodId | string, part: number) =>
    `${run(runId)}/allocation/${method(m)}/part-${pad(part)}.parquet`,
  scores: (runId: string, m: MethodId | string, split: Split, part: number) =>
    `${run(runId)}/scores/${method(m)}/${split}/part-${pad(part)}.parquet`,
  /** Test scores of the last epoch's model (decision-focused methods select a checkpoint; both are reported). */
  lastEpochScores: (runId: string, m: MethodId | string) => `${run(runId)}/scores/${method(m)}/test/last-epoch.parquet`,
  lastEpochModel: (runId: string, m: MethodId | string) => `${run(runId)}/models/${method(m)}/last-epoch/`,
  trainingState: (runId: string, m: MethodId | string) => `${run(runId)}/models/${method(m)}/checkpoints/`,
  reportMetrics: (runId: string) => `${run(runId)}/report/metrics.json`,
  reportHtml: (runId: string) => `${run(runId)}/report/report.html`,
  /** The deploy step's decision, written before it promotes (a retried evaluate job reuses it). */
  deployDecision: (runId: string) => `${run(runId)}/deploy/decision.json`,
  /** Which current version an if-better run compared against (deployBaselineSchema), and its test scores. */
  deployBaseline: (runId: string) => `${run(runId)}/deploy/baseline.json`,
  deployBaselineScores: (runId: string) => `${run(runId)}/deploy/baseline-scores.bin`,
  /** Every named model's folder lies one level below this prefix. */
  modelsPrefix: () => 'models/',
  modelPrefix: (name: string) => `${model(name)}/`,
  /** The pointer to a model's current version (modelPointerSchema). */
  modelCurrent: (name: string) => `${model(name)}/current.json`,
  modelVersionsPrefix: (name: string) => `${model(name)}/versions/`,
  modelVersion: (name: string, v: number) => `${model(name)}/versions/${version(v)}.json`,
  /** The version number of a key listed under modelVersionsPrefix, or undefined for any other key. */
  modelVersionOf: (name: string, key: string) => {
    const prefix = `${model(name)}/versions/`;
    const m = key.startsWith(prefix) ? /^([1-9]\d*)\.json$/.exec(key.slice(prefix.length)) : null;
    return m ? Number(m[1]) : undefined;
  },
  /**
   * The model's current allocation (currentAllocationSchema): the allocation every decisions service replica
   * serves, one object replaced whole by allocate.finalize.
   */
  modelCurrentAllocation: (name: string) => `${model(name)}/current-allocation.json`,
  /** The registry's own copy of a version's weights (a run may be deleted; its versions must still load). */
  modelWeights: (name: string, v: number) => `${model(name)}/weights/${version(v)}/`,
  /** Every population allocation's folder lies one level below this prefix. */
  allocationsPrefix: () => 'allocations/',
  allocationPrefix: (id: string) => `${allocation(id)}/`,
  /** Written last by allocate.finalize: an allocation without it is unfinished or failed. */
  allocationSummary: (id: string) => `${allocation(id)}/summary.json`,
  allocationDecisions: (id: string, shard: number) => `${allocation(id)}/decisions/part-${pad(shard)}.parquet`,
  /** Every allocation's staging folder lies one level below this prefix (running and failed ones included). */
  allocationStagingRoot: () => 'allocation-staging/',
  allocationStagingPrefix: (id: string) => `${allocationStaging(id)}/`,
  allocationRequest: (id: string) => `${allocationStaging(id)}/request.json`,
  /** A shard's scores with its user ids (io's score-matrix Parquet), read again by solve and assign. */
  allocationShardScores: (id: string, shard: number) => `${allocationStaging(id)}/scores/part-${pad(shard)}.bin`,
  allocationShardUserIds: (id: string, shard: number) => `${allocationStaging(id)}/ids/part-${pad(shard)}.parquet`,
  /** A shard's coarse-round summary (core's shardSummaryToJson). */
  allocationShardSummary: (id: string, shard: number) => `${allocationStaging(id)}/summaries/part-${pad(shard)}.json`,
  /** A shard's hulls as its scan job kept them (core's encodeShardHulls), read by solve and assign. */
  allocationShardHulls: (id: string, shard: number) => `${allocationStaging(id)}/hulls/part-${pad(shard)}.bin`,
  allocationThreshold: (id: string) => `${allocationStaging(id)}/threshold.json`,
  allocationStagedDecisions: (id: string, shard: number) =>
    `${allocationStaging(id)}/decisions/part-${pad(shard)}.parquet`,
  /** A shard's (user_id, arm_index) sorted by user id: finalize merges them into summary.json's sha256. */
  allocationStagedDigest: (id: string, shard: number) => `${allocationStaging(id)}/digest/part-${pad(shard)}.parquet`,
};

/** Deterministic BullMQ job ids (`<runId>.<stage>.<part>`): enqueueing the same run twice is a no-op. */
export const jobIds = {
  runStart: (runId: string) => `${assertSafeId(runId, 'run id')}.start`,
  featuresPart: (runId: string, split: Split, part: number) =>
    `${assertSafeId(runId, 'run id')}.features.${split}.${part}`,
  featuresFinalize: (runId: string) => `${assertSafeId(runId, 'run id')}.features.finalize`,
  train: (runId: string, m: MethodId) => `${assertSafeId(runId, 'run id')}.train.${m}`,
  hypergrad: (runId: string, m: MethodId, step: number) => `${assertSafeId(runId, 'run id')}.hypergrad.${m}.${step}`,
  allocate: (runId: string, m: MethodId) => `${assertSafeId(runId, 'run id')}.allocate.${m}`,
  evaluate: (runId: string) => `${assertSafeId(runId, 'run id')}.evaluate`,
  deployScore: (runId: string) => `${assertSafeId(runId, 'run id')}.deploy.score`,
  /** A run's own allocation (config `allocate:`), after evaluate: the run's id is the allocation's. */
  allocatePlan: (runId: string) => `${assertSafeId(runId, 'run id')}.allocate-plan`,
  allocateScan: (id: string, shard: number) => `alloc.${assertSafeId(id, 'allocation id')}.scan.${shard}`,
  allocateSolve: (id: string) => `alloc.${assertSafeId(id, 'allocation id')}.solve`,
  allocateAssign: (id: string, shard: number) => `alloc.${assertSafeId(id, 'allocation id')}.assign.${shard}`,
  allocateFinalize: (id: string) => `alloc.${assertSafeId(id, 'allocation id')}.finalize`,
};
