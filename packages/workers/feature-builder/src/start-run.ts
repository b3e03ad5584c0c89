import { runIdSchema } from '@bidfcl/contracts';
import { scheduledRunId, startRun, type JobHandler } from '@bidfcl/runtime';

/**
 * run.start.v1 (schedules): starts a run from a stored config, with a timestamped run id when asked. The stamp is
 * the firing's scheduled time: the job itself was created when the previous firing ran, a period earlier.
 */
export const runStart: JobHandler<'run.start.v1'> = async ({ config, runIdSuffix }, ctx) => {
  const runId =
    runIdSuffix === 'timestamp'
      ? runIdSchema.parse(scheduledRunId(config.runId, new Date(ctx.scheduledAt ?? ctx.createdAt)))
      : config.runId;
  return startRun(ctx.runtime, { ...config, runId }, { via: 'schedule' });
};
