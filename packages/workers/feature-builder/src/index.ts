import type { JobHandlers } from '@bidfcl/runtime';
import { featuresFinalize } from './finalize.js';
import { featuresPart } from './part.js';
import { runStart } from './start-run.js';

export { carveDestinations } from './part.js';
export { encodePart, featureNamesFor } from './encode.js';
export { partStats, mergeStats, stdOf, type PartStats } from './stats.js';

/** The feature builder's jobs (queues `features` and `runs`). */
export const featureBuilderHandlers = {
  'features.part.v1': featuresPart,
  'features.finalize.v1': featuresFinalize,
  'run.start.v1': runStart,
} satisfies Partial<JobHandlers>;
