import type { JobHandlers } from '@bidfcl/runtime';
import { allocateMethod } from './allocate.js';

export const allocatorHandlers = { 'allocate.method.v1': allocateMethod } satisfies Partial<JobHandlers>;
