import type { ModelPointer, ModelVersion } from '@bidfcl/contracts';
import type { ArtefactStore } from '@bidfcl/io';
import { listModels, listVersions, readPointer, readVersion } from '@bidfcl/runtime';

export interface ModelRow {
  model: string;
  pointer: ModelPointer | undefined;
  /** The current version's record (undefined when the model has no current version). */
  current: ModelVersion | undefined;
  versions: number[];
}

/** Every model of the registry with its current version: read by `bidfcl models list` and the dashboard. */
export async function readModelRows(store: ArtefactStore): Promise<ModelRow[]> {
  return Promise.all(
    (await listModels(store)).map(async (model) => {
      const pointer = await readPointer(store, model);
      const current = pointer ? await readVersion(store, model, pointer.version) : undefined;
      return { model, pointer, current, versions: await listVersions(store, model) };
    }),
  );
}

/** Who promoted a version, in words ("cli (ann)", "deploy step of run r1"). */
export const byWhom = (b: ModelVersion['promotedBy']) =>
  `${b.via}${b.user ? ` (${b.user})` : ''}${b.run ? `, deploy step of run ${b.run}` : ''}`;
