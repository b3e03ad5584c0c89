import { jobIds, keys, type MethodId } from '@bidfcl/contracts';
import { getFloat32Array, putFloat32Array } from '@bidfcl/io';
import type { HypergradAnswer, RequestHypergradient } from '@bidfcl/learn';
import type { RuntimeContext } from '@bidfcl/runtime';

/**
 * The trainer's side of Bi-DFCL across workers: every k batches it writes θ and φ to the store, enqueues
 * hypergrad.step.v1 and waits for it (synchronous, as the paper's Algorithm 1), then reads ∇φ back. Job ids are
 * deterministic per step, so a resumed trainer that asks again for a step already computed gets its result at
 * once. The step's snapshots are deleted once ∇φ has been read: they are transient.
 */
export function remoteHypergradient(runtime: RuntimeContext, runId: string, method: MethodId): RequestHypergradient {
  return async (step, theta, phi, seeds): Promise<HypergradAnswer> => {
    const { store, queues } = runtime;
    const thetaKey = keys.hypergrad(runId, method, step, 'theta');
    const phiKey = keys.hypergrad(runId, method, step, 'phi');
    await putFloat32Array(store, thetaKey, theta);
    await putFloat32Array(store, phiKey, phi);
    const payload = { runId, method, step, thetaKey, phiKey, ...seeds };
    const jobId = jobIds.hypergrad(runId, method, step);
    const { gradKey, ...diagnostics } = await queues.enqueueAndWait('hypergrad.step.v1', payload, jobId);
    const gradPhi = await getFloat32Array(store, gradKey, phi.length);
    await store.deletePrefix(keys.hypergradStep(runId, method, step));
    return { gradPhi, ...diagnostics };
  };
}
