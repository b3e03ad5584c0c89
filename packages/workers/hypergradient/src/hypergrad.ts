import type { JobHandler } from '@bidfcl/runtime';
import { PermanentJobError } from '@bidfcl/runtime';

/**
 * hypergrad.step.v1 — the Bi-DFCL upper level (METHOD.md §3.5): look-ahead θ*, λ* on an RCT batch, ∇θ L_up,
 * conjugate gradient, ∇φ. Until Bi-DFCL is wired in, the handler checks its inputs exist and reports that the
 * method is not available, rather than pretending to compute.
 */
export const hypergradStep: JobHandler<'hypergrad.step.v1'> = async (payload, ctx) => {
  const { store } = ctx.runtime;
  for (const key of [payload.thetaKey, payload.phiKey]) {
    if (!(await store.exists(key))) throw new PermanentJobError(`hypergrad.step.v1 ${ctx.jobId}: snapshot ${key} does not exist`);
  }
  throw new PermanentJobError(`hypergrad.step.v1: Bi-DFCL hypergradients are not available in this build (method ${payload.method})`);
};
