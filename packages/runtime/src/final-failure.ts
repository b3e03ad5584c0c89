import type { Job } from 'bullmq';

/** No further attempt will follow: the error is unrecoverable, or the catalog's attempts are used up. */
export const isFinalFailure = (job: Pick<Job, 'attemptsMade' | 'opts'>, err: Error) =>
  err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
