import { currentAllocationSchema, keys, type CurrentAllocation, type PopulationSummary } from '@bidfcl/contracts';
import { NotFoundError, type ArtefactStore } from '@bidfcl/io';

/** The model's current allocation, or undefined before any allocation of it finished. */
export async function readCurrentAllocation(
  store: ArtefactStore,
  model: string,
): Promise<CurrentAllocation | undefined> {
  try {
    return currentAllocationSchema.parse(await store.getJson(keys.modelCurrentAllocation(model)));
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

/**
 * Makes a finished allocation (its summary.json written) the one the decisions service serves for its model.
 * One object written whole (a rename locally, one PUT on S3), so a replica polling it reads the old pointer or
 * the new one; the summary exists before the pointer names it, so a replica never finds a half-written allocation.
 */
export async function publishCurrentAllocation(
  store: ArtefactStore,
  summary: PopulationSummary,
): Promise<CurrentAllocation> {
  const pointer: CurrentAllocation = {
    model: summary.model,
    allocationId: summary.allocationId,
    version: summary.version,
    lambda: summary.lambda,
    users: summary.users,
    publishedAt: new Date().toISOString(),
  };
  await store.putJson(keys.modelCurrentAllocation(summary.model), pointer);
  return pointer;
}
