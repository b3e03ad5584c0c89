import type { CurrentAllocation, ModelVersion } from '@bidfcl/contracts';
import { populationSummarySchema, keys } from '@bidfcl/contracts';
import { loadWeights, numericColumnOf, readParquet, type ArtefactStore } from '@bidfcl/io';
import { readVersion } from '@bidfcl/runtime';
import { loadScoringModel, type BackendPreference, type ScoringModel } from '@bidfcl/learn';
import { UserIndex } from './lookup/user-index.js';

/**
 * Everything one answer needs, from one allocation: its users' arms, the version that computed them (encoding and
 * weights for new users) and its λ*. Built whole before a replica starts answering from it and never changed
 * after, so an answer never mixes two allocations or two versions (README, Serving).
 */
export interface Snapshot {
  model: string;
  allocationId: string;
  version: ModelVersion;
  lambdaStar: number;
  arms: string[];
  index: UserIndex;
  /** The version's network with its tensors built once at load (disposed by the catalog when swapped out). */
  scorer: ScoringModel;
  loadedAt: string;
  loadSeconds: number;
}

/** Reads an allocation's decisions (one part in memory at a time), its version and weights into a Snapshot. */
export async function loadSnapshot(
  store: ArtefactStore,
  pointer: CurrentAllocation,
  backend: BackendPreference,
): Promise<Snapshot> {
  const t0 = performance.now();
  const summary = populationSummarySchema.parse(await store.getJson(keys.allocationSummary(pointer.allocationId)));
  const version = await readVersion(store, pointer.model, summary.version);
  const arms = version.encoding.arms.map((a) => a.name);
  const index = await UserIndex.build(summary.users, arms.length, async (visit) => {
    for (const key of summary.decisions) {
      const what = store.describe(key);
      const table = readParquet(await store.get(key), what);
      const ids = table.columns.get('user_id');
      if (ids?.kind !== 'string') throw new Error(`${what}: no user_id column`);
      const dr = numericColumnOf(table, 'predicted_uplift_revenue', what);
      const dc = numericColumnOf(table, 'predicted_uplift_cost', what);
      // Exit λ of the user's arm against arm 0 (docs/method.md §8); an arm costing no more than arm 0 never exits.
      const exit = dr.map((r, i) => (dc[i]! > 0 ? r / dc[i]! : Infinity));
      visit({ userIds: ids.values, armIndex: numericColumnOf(table, 'arm_index', what), exitLambda: exit });
    }
  });
  const scorer = await loadScoringModel(await loadWeights(store, version.weights), version.encoding, backend);
  return {
    model: pointer.model,
    allocationId: summary.allocationId,
    version,
    lambdaStar: summary.lambda,
    arms,
    index,
    scorer,
    loadedAt: new Date().toISOString(),
    loadSeconds: (performance.now() - t0) / 1000,
  };
}
