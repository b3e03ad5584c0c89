import type { JobHandlers } from '@bidfcl/runtime';
import { featuresFinalize } from './finalize.js';
import { featuresPart } from './part.js';
import { runStart } from './start-run.js';

/** The feature builder's jobs (queues `features` and `runs`). */
export const featureBuilderHandlers = {
  'features.part.v1': featuresPart,
  'features.finalize.v1': featuresFinalize,
  'run.start.v1': runStart,
} satisfies Partial<JobHandlers>;
