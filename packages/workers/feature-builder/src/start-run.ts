import { runIdSchema } from '@bidfcl/contracts';
import { scheduledRunId, startRun, type JobHandler } from '@bidfcl/runtime';

/** run.start.v1 (schedules): starts a run from a stored config, with a timestamped run id when asked. */
export const runStart: JobHandler<'run.start.v1'> = async ({ config, runIdSuffix }, ctx) => {
  const runId =
    runIdSuffix === 'timestamp'
      ? runIdSchema.parse(scheduledRunId(config.runId, new Date(ctx.createdAt)))
      : config.runId;
  return startRun(ctx.runtime, { ...config, runId }, { via: 'schedule' });
};
