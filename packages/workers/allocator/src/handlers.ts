import type { JobHandlers } from '@bidfcl/runtime';
import { allocateMethod } from './allocate.js';
import { planRunAllocation } from './plan-job.js';
import { scoreCurrentVersion } from './score-current.js';

export const allocatorHandlers = {
  'allocate.method.v1': allocateMethod,
  'deploy.score.v1': scoreCurrentVersion,
  'allocate.plan.v1': planRunAllocation,
} satisfies Partial<JobHandlers>;
