import { keys, populationSummarySchema, type PopulationSummary } from '@bidfcl/contracts';
import { NotFoundError, type ArtefactStore } from '@bidfcl/io';

/** An allocation's summary.json, or undefined while it has none (unknown, running or failed). */
export async function readAllocationSummary(store: ArtefactStore, id: string): Promise<PopulationSummary | undefined> {
  try {
    return populationSummarySchema.parse(await store.getJson(keys.allocationSummary(id)));
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

/**
 * Every allocation the store knows, published or still staged, sorted by id, each with its summary when it has one.
 * Read by `bidfcl allocations list` and the dashboard.
 */
export async function listAllocations(
  store: ArtefactStore,
): Promise<{ id: string; summary: PopulationSummary | undefined }[]> {
  const dirs = await Promise.all(
    [keys.allocationsPrefix(), keys.allocationStagingRoot()].map((p) => store.listDirs(p)),
  );
  const ids = [...new Set(dirs.flat())].sort();
  return Promise.all(ids.map(async (id) => ({ id, summary: await readAllocationSummary(store, id) })));
}
