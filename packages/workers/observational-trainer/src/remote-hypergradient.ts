import { jobIds, keys, type MethodId } from '@bidfcl/contracts';
import type { HypergradAnswer, RequestHypergradient } from '@bidfcl/learn';
import type { RuntimeContext } from '@bidfcl/runtime';

const toBytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

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
    await store.put(thetaKey, toBytes(theta));
    await store.put(phiKey, toBytes(phi));
    const events = await queues.queueEvents('hypergrad');
    const job = await queues.enqueue('hypergrad.step.v1', { runId, method, step, thetaKey, phiKey, ...seeds }, jobIds.hypergrad(runId, method, step));
    const result = (await job.waitUntilFinished(events)) as { gradKey: string; cgIterations: number; negativeCurvatureStops: number; upperLoss: number };
    const bytes = await store.get(result.gradKey);
    const gradPhi = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    if (gradPhi.length !== phi.length) throw new Error(`hypergradient ${result.gradKey} has ${gradPhi.length} values, φ has ${phi.length}`);
    await store.deletePrefix(thetaKey.replace(/theta\.bin$/, ''));
    return { gradPhi, cgIterations: result.cgIterations, negativeCurvatureStops: result.negativeCurvatureStops, upperLoss: result.upperLoss };
  };
}
