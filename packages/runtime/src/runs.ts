import { METHOD_INFO, SPLITS, jobIds, type Origin, type RunConfig, type RunRecord } from '@bidfcl/contracts';
import type { RuntimeContext } from './context.js';
import { resolveDatasetSources } from './dataset-sources.js';
import type { FlowNode } from './queues.js';
import { cliOrigin } from './origin.js';
import { resetRunForResume, runKnownToRedis } from './run-jobs.js';
import { createRunRecord, readRunRecord } from './run-store.js';

/**
 * Starts a run: resolves its dataset sources, writes run.json, and enqueues the feature flow (one child per
 * input part, then the finalize job). Enqueueing the same run id twice is a no-op, except for a run that cannot
 * finish as it stands: a failed or cancelled run, or an unfinished one whose jobs Redis lost. That one is resumed
 * from what the store holds (`resumed`: its recorded config, its feature flow enqueued again; see
 * resetRunForResume).
 *
 * Why two flows and not one: a BullMQ job has exactly one parent, so a feature stage that every method's
 * training depends on cannot be a child of each training job. The finalize job enqueues the second flow
 * (training → allocation → evaluation) with deterministic ids, which keeps the whole run idempotent.
 * `startedBy` is recorded in run.json (a deploy step's promotion names it): this process's OS user by default.
 */
export async function startRun(
  ctx: RuntimeContext,
  config: RunConfig,
  startedBy: Origin = cliOrigin(),
): Promise<{ runId: string; created: boolean; resumed?: boolean }> {
  const dataset = await resolveDatasetSources(config.dataset, ctx.store, ctx.env);
  const resolved: RunConfig = { ...config, dataset };
  const { created, record } = await createRunRecord(ctx, resolved, startedBy);
  if (created) {
    await ctx.queues.addFlow(featureFlow(resolved));
    return { runId: config.runId, created };
  }
  const stuck =
    record.status === 'failed' ||
    record.status === 'cancelled' ||
    (record.status !== 'succeeded' && !(await runKnownToRedis(ctx, record)));
  if (!stuck || !(await resetRunForResume(ctx, record))) return { runId: config.runId, created };
  await ctx.queues.addFlow(featureFlow(record.config));
  return { runId: config.runId, created, resumed: true };
}

export type RetryOutcome =
  { retried: true } | { retried: false; reason: 'succeeded' | 'in-progress'; status: RunRecord['status'] };

/**
 * `runs retry`: starts a failed, cancelled or lost run again under its id, from its recorded config. What
 * succeeded is kept: its stage records stay, training resumes from its last checkpoint, and the stages that
 * recompute (features, allocation, evaluation) do so deterministically over the same inputs (resetRunForResume).
 * A succeeded run, or one whose jobs may still run, is left alone.
 */
export async function retryRun(ctx: RuntimeContext, runId: string, by: Origin = cliOrigin()): Promise<RetryOutcome> {
  const record = await readRunRecord(ctx, runId);
  if (record.status === 'succeeded') return { retried: false, reason: 'succeeded', status: record.status };
  const { resumed } = await startRun(ctx, record.config, by);
  return resumed ? { retried: true } : { retried: false, reason: 'in-progress', status: record.status };
}

export function featureFlow(config: RunConfig): FlowNode {
  const children: FlowNode[] = [];
  for (const split of SPLITS) {
    config.dataset.splits[split].forEach((source, part) => {
      children.push({
        name: 'features.part.v1',
        jobId: jobIds.featuresPart(config.runId, split, part),
        payload: { runId: config.runId, split, part, source },
      });
    });
  }
  return {
    name: 'features.finalize.v1',
    jobId: jobIds.featuresFinalize(config.runId),
    payload: { runId: config.runId },
    children,
  };
}

/**
 * evaluate ← allocate.<method> ← train.<method> (references that train nothing go straight to allocation). An
 * if-better deploy adds evaluate ← deploy.score: the model's current version scored on this run's test split,
 * beside the methods (it needs no training), so that evaluate compares both on the same rows. A config with
 * `allocate:` puts allocate.plan above evaluate: the population allocation with the then-current version.
 */
export function trainingFlow(config: RunConfig): FlowNode {
  const runId = config.runId;
  const methods: FlowNode[] = config.methods.map((method) => ({
    name: 'allocate.method.v1',
    jobId: jobIds.allocate(runId, method),
    payload: { runId, method },
    children: METHOD_INFO[method].trained
      ? [{ name: 'train.method.v1', jobId: jobIds.train(runId, method), payload: { runId, method } }]
      : [],
  }));
  const baseline: FlowNode[] =
    config.deploy?.promote === 'if-better'
      ? [{ name: 'deploy.score.v1', jobId: jobIds.deployScore(runId), payload: { runId } }]
      : [];
  const evaluate: FlowNode = {
    name: 'evaluate.run.v1',
    jobId: jobIds.evaluate(runId),
    payload: { runId },
    children: [...methods, ...baseline],
  };
  // A run that allocates a population does so after evaluate, whose deploy step may have moved `current`.
  if (!config.allocate) return evaluate;
  return { name: 'allocate.plan.v1', jobId: jobIds.allocatePlan(runId), payload: { runId }, children: [evaluate] };
}

export async function enqueueTrainingFlow(ctx: RuntimeContext, config: RunConfig): Promise<void> {
  await ctx.queues.addFlow(trainingFlow(config));
}
