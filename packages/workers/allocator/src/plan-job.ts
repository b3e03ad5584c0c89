import { keys, type PopulationRequest } from '@bidfcl/contracts';
import { FeatureEncodingError } from '@bidfcl/core';
import { NotFoundError, planAllocation } from '@bidfcl/io';
import {
  PermanentJobError,
  scanFlow,
  sourceAccess,
  expandTableSource,
  readCurrentVersion,
  readRunConfig,
  type JobHandler,
} from '@bidfcl/runtime';

/**
 * allocate.plan.v1 (a run whose config has `allocate:`): after evaluate (and its deploy step) the run's deploy
 * model's then-current version allocates the configured users: checks and splits them, writes the request and
 * enqueues the allocation flow under the run's id. Bad input fails the job (and the run) at once.
 */
export const planRunAllocation: JobHandler<'allocate.plan.v1'> = async ({ runId }, ctx) => {
  const { store, env } = ctx.runtime;
  const config = await readRunConfig(ctx.runtime, runId);
  const spec = config.allocate;
  if (!spec || !config.deploy) throw new PermanentJobError(`run '${runId}' has no allocate and deploy blocks`);
  const version = await readCurrentVersion(store, config.deploy.model);
  if (!version) throw new PermanentJobError(`model '${config.deploy.model}' has no current version to allocate with`);
  const allocationId = runId;
  const key = keys.allocationRequest(allocationId);
  if (!(await store.exists(key))) {
    const userIdColumn = spec.userIdColumn ?? version.config.dataset.columns.userId ?? 'user_id';
    try {
      const sources = await expandTableSource(spec.users, store, env);
      const plan = await planAllocation(sources, version, userIdColumn, spec.shards, store, sourceAccess(env));
      const request: PopulationRequest = {
        allocationId,
        model: version.model,
        version: version.version,
        userIdColumn,
        users: plan.users,
        budget: spec.budget ?? spec.budgetPerUser! * plan.users,
        shards: plan.shards,
        sources,
        requestedAt: new Date().toISOString(),
      };
      await store.putJson(key, request);
    } catch (err) {
      if (err instanceof FeatureEncodingError || err instanceof NotFoundError)
        throw new PermanentJobError(`allocate.users: ${(err as Error).message}`);
      throw err;
    }
  }
  const request = await store.getJson<PopulationRequest>(key);
  await ctx.runtime.queues.addFlow(scanFlow(request));
  return { allocationId, model: request.model, version: request.version, users: request.users };
};
