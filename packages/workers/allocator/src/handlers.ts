import type { JobHandlers } from '@bidfcl/runtime';
import { allocateMethod } from './allocate.js';
import { scoreCurrentVersion } from './score-current.js';

export const allocatorHandlers = {
  'allocate.method.v1': allocateMethod,
  'deploy.score.v1': scoreCurrentVersion,
} satisfies Partial<JobHandlers>;
