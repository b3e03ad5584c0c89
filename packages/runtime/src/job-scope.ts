import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The run and stage of the job this code runs for, if any: lets the store's retry notices ("waiting for S3 at …")
 * reach the run's channel without threading a run id through every store call.
 */
export interface JobScope {
  runId: string;
  stage: string;
}

export const jobScope = new AsyncLocalStorage<JobScope>();
