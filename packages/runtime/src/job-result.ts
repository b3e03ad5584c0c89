import { JOBS, formatZodError, type JobName, type JobResult } from '@bidfcl/contracts';
import { PermanentJobError } from './errors.js';

/**
 * A job's return value checked against the catalog's result schema, on both sides of the queue: the worker
 * before it completes the job, the waiter before it trusts the value. A result that does not parse is a
 * PermanentJobError naming the job and the zod issues: no retry changes what a job returned.
 */
export function parseJobResult<N extends JobName>(name: N, jobId: string, value: unknown): JobResult<N> {
  const parsed = JOBS[name].result.safeParse(value);
  if (!parsed.success) {
    const issues = formatZodError(parsed.error);
    throw new PermanentJobError(`${name} job ${jobId} returned a result that does not match the catalog:\n${issues}`);
  }
  return parsed.data as JobResult<N>;
}
