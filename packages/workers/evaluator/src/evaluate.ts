import {
  DEBIAS_METHODS,
  METHOD_INFO,
  allocationSummarySchema,
  keys,
  runMetricsSchema,
  trainingSummarySchema,
  type MethodId,
  type RunConfig,
  type RunMetrics,
} from '@bidfcl/contracts';
import { arm0Value, budgetLevelsOf, computeMethodMetrics, randomCostPerUser, type MethodInput } from '@bidfcl/core';
import { decodeScoreMatrix, loadFeatureSplit, loadManifest, type ArtefactStore } from '@bidfcl/io';
import { renderReportHtml, runReportOptions } from '@bidfcl/report';
import { readRunConfig, readRunRecord, type JobHandler } from '@bidfcl/runtime';
import { deployStep, type Evaluation } from './deploy.js';
import { previousScheduledRun } from './previous-run.js';

async function loadMethodInput(store: ArtefactStore, runId: string, method: MethodId, m: number): Promise<MethodInput> {
  const input: MethodInput = { method };
  input.allocation = allocationSummarySchema.parse(await store.getJson(keys.allocationLambda(runId, method)));
  if (METHOD_INFO[method].trained)
    input.training = trainingSummarySchema.parse(await store.getJson(keys.modelSummary(runId, method)));
  const scoresKey = keys.scores(runId, method, 'test', 0);
  if (!input.allocation.skipped && method !== 'random')
    input.scores = decodeScoreMatrix(await store.get(scoresKey), m, store.describe(scoresKey));
  const lastKey = keys.lastEpochScores(runId, method);
  if (input.training?.hasLastEpochModel && (await store.exists(lastKey)))
    input.lastScores = decodeScoreMatrix(await store.get(lastKey), m, store.describe(lastKey));
  return input;
}

/** The config sections the report shows as the run's parameters (what was trained, how, and evaluated how). */
function runParameters(config: RunConfig): Record<string, unknown> {
  const { methods, training, dfcl, bidfcl, debias, evaluation } = config;
  // `debias` only where a debiasing baseline ran, so that the parameters of other runs read as before.
  const usesDebias = methods.some((m) => (DEBIAS_METHODS as readonly string[]).includes(m));
  return { methods, training, dfcl, bidfcl, ...(usesDebias ? { debias } : {}), evaluation };
}

/**
 * evaluate.run.v1: every metric for every method and budget, and the deploy decision when the config asks for
 * one → report/metrics.json and report/report.html.
 */
export const evaluateRun: JobHandler<'evaluate.run.v1'> = async ({ runId }, ctx) => {
  const { store } = ctx.runtime;
  const config = await readRunConfig(ctx.runtime, runId);
  const manifest = await loadManifest(store, runId);
  const test = await loadFeatureSplit(store, manifest, 'test');
  const m = manifest.arms.length;
  const methods = await Promise.all(config.methods.map((method) => loadMethodInput(store, runId, method, m)));
  const randomCost = randomCostPerUser(test, manifest.propensities);
  const evaluation: Evaluation = {
    test,
    propensities: manifest.propensities,
    budgets: budgetLevelsOf(config.evaluation, randomCost),
    auccQuantiles: config.evaluation.auccQuantiles,
  };
  const previousRun = await previousScheduledRun(store, runId);
  const metrics: RunMetrics = runMetricsSchema.parse({
    runId,
    dataset: `${manifest.dataset.name}/${manifest.dataset.version}`,
    seed: config.seed,
    arms: manifest.arms.map((a) => a.name),
    hasTruth: manifest.hasTruth,
    testRows: test.n,
    randomCost,
    methods: computeMethodMetrics({ ...evaluation, methods }),
    arm0: arm0Value(test, manifest.propensities),
    parameters: runParameters(config),
    ...(previousRun ? { previousRun } : {}),
    createdAt: new Date().toISOString(),
  });
  // Before metrics.json is written, so that the report shows the decision; a run without deploy skips it.
  const deploy = config.deploy
    ? await deployStep(ctx.runtime, await readRunRecord(ctx.runtime, runId), metrics, evaluation)
    : undefined;
  if (deploy) metrics.deploy = deploy;
  const metricsKey = keys.reportMetrics(runId);
  await store.putJson(metricsKey, metrics);
  const reportKey = keys.reportHtml(runId);
  await store.put(reportKey, await renderReportHtml(metrics, runReportOptions(metrics)));
  return { metricsKey, reportKey, ...(deploy ? { deploy } : {}) };
};
