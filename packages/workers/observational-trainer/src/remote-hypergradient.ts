import { jobIds, keys, type MethodId } from '@bidfcl/contracts';
import { getFloat32Array, putFloat32Array } from '@bidfcl/io';
import type { HypergradAnswer, RequestHypergradient } from '@bidfcl/learn';
import type { RuntimeContext } from '@bidfcl/runtime';

/**
 * The trainer's side of Bi-DFCL across workers (Algorithm 1): write θ and φ, enqueue hypergrad.step.v1 with a
 * per-step job id; then, when the trainer asks for the answer (at once, or bidfcl.hypergradInFlight steps later),
 * wait and read ∇φ. A resumed trainer asking again gets the stored result, which names grad.bin:
 * ∇φ is kept until the training job ends (train.ts deletes hypergrad/); θ and φ go once ∇φ is read.
 */
export function remoteHypergradient(runtime: RuntimeContext, runId: string, method: MethodId): RequestHypergradient {
  return async (step, theta, phi, seeds) => {
    const { store, queues } = runtime;
    const thetaKey = keys.hypergrad(runId, method, step, 'theta');
    const phiKey = keys.hypergrad(runId, method, step, 'phi');
    await Promise.all([putFloat32Array(store, thetaKey, theta), putFloat32Array(store, phiKey, phi)]);
    const payload = { runId, method, step, thetaKey, phiKey, ...seeds };
    const jobId = jobIds.hypergrad(runId, method, step);
    // On behalf of this training job: one that Redis lost (flushed) stops here instead of training on as an orphan.
    const result = await queues.enqueueForResult('hypergrad.step.v1', payload, jobId, {
      queue: 'training',
      jobId: jobIds.train(runId, method),
    });
    return async (): Promise<HypergradAnswer> => {
      const { gradKey, ...diagnostics } = await result();
      const gradPhi = await getFloat32Array(store, gradKey, phi.length);
      // A full key as prefix: the store deletes by prefix only, and no other key starts with theta.bin or phi.bin.
      await Promise.all([store.deletePrefix(thetaKey), store.deletePrefix(phiKey)]);
      return { gradPhi, ...diagnostics };
    };
  };
}
