import { jobIds, type PopulationRequest } from '@bidfcl/contracts';
import type { FlowNode } from './queues.js';

/**
 * The first flow of a population allocation: solve ← scan × S. BullMQ runs children before their parent, and a
 * job has one parent, so the assignment (which needs λ*) is a second flow the solve job enqueues: finalize ←
 * assign × S. Job ids come from the allocation id, so enqueueing either flow twice is a no-op.
 */
export function scanFlow(request: Pick<PopulationRequest, 'allocationId' | 'shards'>): FlowNode {
  const { allocationId } = request;
  return {
    name: 'allocate.solve.v1',
    jobId: jobIds.allocateSolve(allocationId),
    payload: { allocationId },
    children: request.shards.map((_, shard) => ({
      name: 'allocate.scan.v1',
      jobId: jobIds.allocateScan(allocationId, shard),
      payload: { allocationId, shard },
    })),
  };
}

/** The second flow: finalize ← assign × S (see {@link scanFlow}). */
export function assignFlow(allocationId: string, shards: number): FlowNode {
  return {
    name: 'allocate.finalize.v1',
    jobId: jobIds.allocateFinalize(allocationId),
    payload: { allocationId },
    children: Array.from({ length: shards }, (_, shard) => ({
      name: 'allocate.assign.v1',
      jobId: jobIds.allocateAssign(allocationId, shard),
      payload: { allocationId, shard },
    })),
  };
}
