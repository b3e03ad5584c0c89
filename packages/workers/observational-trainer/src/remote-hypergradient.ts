import { jobIds, keys, type MethodId } from '@bidfcl/contracts';
import { getFloat32Array, putFloat32Array } from '@bidfcl/io';
import type { HypergradAnswer, RequestHypergradient } from '@bidfcl/learn';
import type { RuntimeContext } from '@bidfcl/runtime';

/**
 * The trainer's side of Bi-DFCL across workers: every k batches it writes θ and φ to the store, enqueues
 * hypergrad.step.v1 and waits for it (synchronous, as the paper's Algorithm 1), then reads ∇φ back. Job ids are
 * deterministic per step, so a resumed trainer that asks again for a step already computed gets its result at
 * once — and that result names the step's grad.bin, so ∇φ must outlive every retry of the training job: it is
 * kept (|φ| floats a step) until the training job ends, which deletes the method's hypergrad/ folder
 * (see train.ts). Only θ and φ go once ∇φ has been read: the completed step job, their one reader, never runs
 * again, and a resumed trainer writes them afresh before asking.
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
    // On behalf of this training job: one that Redis lost (flushed) stops here instead of training on as an orphan.
    const { gradKey, ...diagnostics } = await queues.enqueueAndWait('hypergrad.step.v1', payload, jobId, {
      queue: 'training',
      jobId: jobIds.train(runId, method),
    });
    const gradPhi = await getFloat32Array(store, gradKey, phi.length);
    // A full key as prefix: the store deletes by prefix only, and no other key starts with theta.bin or phi.bin.
    await Promise.all([store.deletePrefix(thetaKey), store.deletePrefix(phiKey)]);
    return { gradPhi, ...diagnostics };
  };
}
