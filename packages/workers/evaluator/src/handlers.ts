import type { JobHandlers } from '@bidfcl/runtime';
import { evaluateRun } from './evaluate.js';

export const evaluatorHandlers = { 'evaluate.run.v1': evaluateRun } satisfies Partial<JobHandlers>;
