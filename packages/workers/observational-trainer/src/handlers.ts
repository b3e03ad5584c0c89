import type { JobHandlers } from '@bidfcl/runtime';
import { trainMethod } from './train.js';

export const trainerHandlers = { 'train.method.v1': trainMethod } satisfies Partial<JobHandlers>;
