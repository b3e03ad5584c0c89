import { assertSafeId } from './ids.js';
import type { Split } from './dataset.js';
import type { MethodId } from './methods.js';

/** The only place artefact keys are built. Every id is validated, so no key escapes its prefix. */
const pad = (i: number) => {
  if (!Number.isInteger(i) || i < 0) throw new Error(`part index must be a non-negative integer, got ${i}`);
  return String(i).padStart(5, '0');
};
const run = (runId: string) => `runs/${assertSafeId(runId, 'run id')}`;
const method = (m: MethodId | string) => assertSafeId(m, 'method');

export const keys = {
  datasetPart: (name: string, version: string, split: Split, part: number) =>
    `datasets/${assertSafeId(name, 'dataset name')}/${assertSafeId(version, 'dataset version')}/${split}/part-${pad(part)}.parquet`,
  datasetPrefix: (name: string, version: string) =>
    `datasets/${assertSafeId(name, 'dataset name')}/${assertSafeId(version, 'dataset version')}/`,
  runPrefix: (runId: string) => `${run(runId)}/`,
  runJson: (runId: string) => `${run(runId)}/run.json`,
  stageRecord: (runId: string, stage: string) => `${run(runId)}/stages/${assertSafeId(stage, 'stage')}.json`,
  stagesPrefix: (runId: string) => `${run(runId)}/stages/`,
  featuresManifest: (runId: string) => `${run(runId)}/features/manifest.json`,
  featuresPart: (runId: string, split: Split, part: number) => `${run(runId)}/features/${split}/part-${pad(part)}.parquet`,
  featuresStaging: (runId: string, split: Split, part: number) => `${run(runId)}/features/staging/${split}/part-${pad(part)}.parquet`,
  featuresStagingStats: (runId: string, split: Split, part: number) => `${run(runId)}/features/staging/${split}/part-${pad(part)}.stats.json`,
  model: (runId: string, m: MethodId | string, role: 'teacher' | 'target' | 'bridge') => `${run(runId)}/models/${method(m)}/${role}/`,
  modelSummary: (runId: string, m: MethodId | string) => `${run(runId)}/models/${method(m)}/training.json`,
  checkpoint: (runId: string, m: MethodId | string, name: string) => `${run(runId)}/models/${method(m)}/checkpoints/${assertSafeId(name, 'checkpoint')}`,
  hypergrad: (runId: string, m: MethodId | string, step: number, what: 'theta' | 'phi' | 'grad') =>
    `${run(runId)}/models/${method(m)}/hypergrad/${pad(step)}/${what}.bin`,
  allocationLambda: (runId: string, m: MethodId | string) => `${run(runId)}/allocation/${method(m)}/lambda.json`,
  allocationPart: (runId: string, m: MethodId | string, part: number) => `${run(runId)}/allocation/${method(m)}/part-${pad(part)}.parquet`,
  scores: (runId: string, m: MethodId | string, split: Split, part: number) => `${run(runId)}/scores/${method(m)}/${split}/part-${pad(part)}.parquet`,
  /** Test scores of the last epoch's model (decision-focused methods select a checkpoint; both are reported). */
  lastEpochScores: (runId: string, m: MethodId | string) => `${run(runId)}/scores/${method(m)}/test/last-epoch.parquet`,
  lastEpochModel: (runId: string, m: MethodId | string) => `${run(runId)}/models/${method(m)}/last-epoch/`,
  trainingState: (runId: string, m: MethodId | string) => `${run(runId)}/models/${method(m)}/checkpoints/`,
  reportMetrics: (runId: string) => `${run(runId)}/report/metrics.json`,
  reportHtml: (runId: string) => `${run(runId)}/report/report.html`,
};

/** Deterministic BullMQ job ids (`<runId>.<stage>.<part>`): enqueueing the same run twice is a no-op. */
export const jobIds = {
  runStart: (runId: string) => `${assertSafeId(runId, 'run id')}.start`,
  featuresPart: (runId: string, split: Split, part: number) => `${assertSafeId(runId, 'run id')}.features.${split}.${part}`,
  featuresFinalize: (runId: string) => `${assertSafeId(runId, 'run id')}.features.finalize`,
  train: (runId: string, m: MethodId) => `${assertSafeId(runId, 'run id')}.train.${m}`,
  hypergrad: (runId: string, m: MethodId, step: number) => `${assertSafeId(runId, 'run id')}.hypergrad.${m}.${step}`,
  allocate: (runId: string, m: MethodId) => `${assertSafeId(runId, 'run id')}.allocate.${m}`,
  evaluate: (runId: string) => `${assertSafeId(runId, 'run id')}.evaluate`,
};
