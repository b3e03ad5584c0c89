import { featureManifestSchema, keys, type FeatureManifest, type FeatureTable, type Split } from '@bidfcl/contracts';
import type { ArtefactStore } from '../store/artefact-store.js';
import { decodeFeatureTable } from './feature-table.js';

/** Reads and validates runs/<runId>/features/manifest.json. */
export async function loadManifest(store: ArtefactStore, runId: string): Promise<FeatureManifest> {
  return featureManifestSchema.parse(await store.getJson(keys.featuresManifest(runId)));
}

/** Concatenates tables with the same d and m (parts of one split). */
export function concatFeatureTables(tables: FeatureTable[], d: number, m: number): FeatureTable {
  const n = tables.reduce((s, t) => s + t.n, 0);
  const out: FeatureTable = {
    n,
    d,
    m,
    x: new Float32Array(n * d),
    arm: new Int32Array(n),
    revenue: new Float64Array(n),
    cost: new Float64Array(n),
  };
  const withIds = tables.length > 0 && tables.every((t) => t.userId);
  const withTruth = tables.length > 0 && tables.every((t) => t.trueRevenue && t.trueCost);
  if (withIds) out.userId = [];
  if (withTruth) {
    out.trueRevenue = new Float64Array(n * m);
    out.trueCost = new Float64Array(n * m);
  }
  let row = 0;
  for (const t of tables) {
    if (t.d !== d || t.m !== m) throw new Error(`feature part has d=${t.d}, m=${t.m}; expected d=${d}, m=${m}`);
    out.x.set(t.x, row * d);
    out.arm.set(t.arm, row);
    out.revenue.set(t.revenue, row);
    out.cost.set(t.cost, row);
    if (withIds) out.userId!.push(...t.userId!);
    if (withTruth) {
      out.trueRevenue!.set(t.trueRevenue!, row * m);
      out.trueCost!.set(t.trueCost!, row * m);
    }
    row += t.n;
  }
  return out;
}

/** One split of a run's feature set, all parts concatenated in order. */
export async function loadFeatureSplit(
  store: ArtefactStore,
  manifest: FeatureManifest,
  split: Split,
): Promise<FeatureTable> {
  const parts = await Promise.all(
    manifest.splits[split].parts.map(async (k) => decodeFeatureTable(await store.get(k), store.describe(k))),
  );
  return concatFeatureTables(parts, manifest.featureNames.length, manifest.arms.length);
}
