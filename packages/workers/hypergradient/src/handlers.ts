import type { JobHandlers } from '@bidfcl/runtime';
import { hypergradStep } from './hypergrad.js';

export const hypergradientHandlers = { 'hypergrad.step.v1': hypergradStep } satisfies Partial<JobHandlers>;
