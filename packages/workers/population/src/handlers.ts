import type { JobHandlers } from '@bidfcl/runtime';
import { assignPopulationShard } from './assign.js';
import { finalizePopulation } from './finalize.js';
import { scanPopulationShard } from './scan.js';
import { solvePopulation } from './solve.js';

/** The population flow's handlers; they run on the allocator role's queue beside the allocator's own. */
export const populationHandlers = {
  'allocate.scan.v1': scanPopulationShard,
  'allocate.solve.v1': solvePopulation,
  'allocate.assign.v1': assignPopulationShard,
  'allocate.finalize.v1': finalizePopulation,
} satisfies Partial<JobHandlers>;
