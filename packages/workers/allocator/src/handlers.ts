import type { JobHandlers } from '@bidfcl/runtime';
import { allocateMethod } from './allocate.js';
import { assignPopulationShard } from './population/assign.js';
import { finalizePopulation } from './population/finalize.js';
import { planRunAllocation } from './population/plan-job.js';
import { scanPopulationShard } from './population/scan.js';
import { solvePopulation } from './population/solve.js';
import { scoreCurrentVersion } from './score-current.js';

export const allocatorHandlers = {
  'allocate.method.v1': allocateMethod,
  'deploy.score.v1': scoreCurrentVersion,
  'allocate.plan.v1': planRunAllocation,
  'allocate.scan.v1': scanPopulationShard,
  'allocate.solve.v1': solvePopulation,
  'allocate.assign.v1': assignPopulationShard,
  'allocate.finalize.v1': finalizePopulation,
} satisfies Partial<JobHandlers>;
