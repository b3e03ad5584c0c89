import { SPLITS, datasetSpecSchema, keys, type DatasetSpecInput, type Scenario } from '@bidfcl/contracts';
import type { SimulatedData } from '@bidfcl/core';
import { writeParquet, type ArtefactStore } from '@bidfcl/io';

/** Where a simulated dataset goes: a store, a key prefix inside it, and how a key is named in dataset.yaml. */
export interface DatasetTarget {
  store: ArtefactStore;
  prefix: string;
  uriOf(key: string): string;
}

const ROWS_PER_PART = 50_000;

/** The dataset spec of a simulated scenario: integer arm column, features x0.., truth columns on test. */
export function simulatedDatasetSpec(
  s: Scenario,
  name: string,
  version: string,
  splits: Record<string, string[]>,
): DatasetSpecInput {
  return {
    name,
    version,
    format: 'parquet',
    splits: { rct: splits.rct ?? [], val: splits.val ?? [], obs: splits.obs ?? [], test: splits.test ?? [] },
    columns: {
      arm: 'arm',
      revenue: 'revenue',
      cost: 'cost',
      userId: 'user_id',
      features: Array.from({ length: s.features }, (_, k) => `x${k}`),
      trueRevenue: s.armValues.map((_, j) => `true_revenue_${j}`),
      trueCost: s.armValues.map((_, j) => `true_cost_${j}`),
    },
    arms: s.armValues.map((v, j) => ({ name: `arm${j}`, value: v, zeroCost: v === 0 })),
    propensities: s.armValues.map(() => 1 / s.armValues.length),
  };
}

/**
 * Writes every split as Parquet parts (≤ 50k rows each) plus scenario.json and dataset.yaml, the dataset
 * description a run config can point at. Only the test split carries the true r_j, c_j columns.
 */
export async function writeSimulatedDataset(
  data: SimulatedData,
  target: DatasetTarget,
  name: string,
  version: string,
): Promise<{ datasetKey: string; spec: DatasetSpecInput }> {
  const uris: Record<string, string[]> = {};
  for (const split of SPLITS) {
    const sim = data.splits[split];
    uris[split] = [];
    for (let start = 0, part = 0; start < sim.n; start += ROWS_PER_PART, part++) {
      const end = Math.min(sim.n, start + ROWS_PER_PART);
      const cols: Record<string, Float64Array | Float32Array | Int32Array | string[]> = {
        user_id: sim.userId.slice(start, end),
        arm: sim.arm.slice(start, end),
        revenue: sim.revenue.slice(start, end),
        cost: sim.cost.slice(start, end),
      };
      for (let k = 0; k < sim.d; k++) {
        const col = new Float64Array(end - start);
        for (let i = start; i < end; i++) col[i - start] = sim.x[i * sim.d + k]!;
        cols[`x${k}`] = col;
      }
      if (split === 'test' && sim.trueRevenue && sim.trueCost) {
        for (let j = 0; j < sim.m; j++) {
          const r = new Float64Array(end - start);
          const c = new Float64Array(end - start);
          for (let i = start; i < end; i++) {
            r[i - start] = sim.trueRevenue[i * sim.m + j]!;
            c[i - start] = sim.trueCost[i * sim.m + j]!;
          }
          cols[`true_revenue_${j}`] = r;
          cols[`true_cost_${j}`] = c;
        }
      }
      const key = keys.datasetPartIn(target.prefix, split, part);
      await target.store.put(key, writeParquet(cols));
      uris[split]!.push(target.uriOf(key));
    }
  }
  const spec = simulatedDatasetSpec(data.scenario, name, version, uris);
  datasetSpecSchema.parse(spec);
  const { stringify } = await import('yaml');
  const datasetKey = keys.datasetSpecIn(target.prefix);
  await target.store.put(keys.datasetScenarioIn(target.prefix), JSON.stringify(data.scenario, null, 2));
  await target.store.put(
    datasetKey,
    `# Written by bidfcl simulate: point a run config's dataset at this file.\n${stringify(spec)}`,
  );
  return { datasetKey, spec };
}
