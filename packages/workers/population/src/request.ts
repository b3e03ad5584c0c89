import { keys, populationRequestSchema, type ModelVersion, type PopulationRequest } from '@bidfcl/contracts';
import type { ArtefactStore } from '@bidfcl/io';
import { PermanentJobError, readVersion } from '@bidfcl/runtime';

/** The allocation's request (written by `bidfcl allocate` before the flow) and the model version it names. */
export async function loadRequest(
  store: ArtefactStore,
  allocationId: string,
): Promise<{ request: PopulationRequest; version: ModelVersion }> {
  const request = populationRequestSchema.parse(await store.getJson(keys.allocationRequest(allocationId)));
  const version = await readVersion(store, request.model, request.version);
  return { request, version };
}

/** The pieces of shard `shard`, or a permanent error when the request has no such shard. */
export function piecesOf(request: PopulationRequest, shard: number) {
  const pieces = request.shards[shard];
  if (!pieces) throw new PermanentJobError(`allocation ${request.allocationId} has no shard ${shard}`);
  return pieces;
}
