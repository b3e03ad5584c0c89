import { keys, runConfigSchema, type DatasetSpecInput, type RunConfig, type RunConfigInput } from '@bidfcl/contracts';
import { simulate } from '@bidfcl/core';
import type { ArtefactStore } from '@bidfcl/io';
import { resolveScenario } from '../commands/simulate.js';
import { writeSimulatedDataset } from '../simulated-dataset.js';

/** Sizes that keep an end-to-end run to seconds while every stage does real work. */
export const TINY = { rct: 1600, val: 800, obs: 4000, test: 2000 };

/** Simulates marketing-8 (fewer features) into the store and returns the dataset spec pointing at it. */
export async function tinySimulatedDataset(
  store: ArtefactStore,
  name = 'tiny',
  overrides: Record<string, unknown> = {},
  preset = 'marketing-8',
): Promise<DatasetSpecInput> {
  const scenario = await resolveScenario(preset, { sizes: TINY, features: 8, ...overrides });
  const target = { store, prefix: keys.datasetPrefix(name, 'v1'), uriOf: (k: string) => `store:${k}` };
  const { spec } = await writeSimulatedDataset(simulate(scenario), target, name, 'v1');
  return spec;
}

/** A fast run config over a dataset: small network, few epochs. */
export function tinyRunConfig(
  runId: string,
  dataset: DatasetSpecInput,
  extra: Partial<RunConfigInput> = {},
): RunConfig {
  return runConfigSchema.parse({
    runId,
    seed: 0,
    dataset,
    methods: ['tsm-rct', 'tsm-obs', 'oracle', 'random'],
    training: { epochs: 2, batchSize: 256, hidden: [16, 8], patience: 2 },
    evaluation: { budgets: [0.5, 1.0] },
    ...extra,
  });
}

/** Metrics without wall-clock fields, for comparing two runs of the same config. */
export function stripTimings(metrics: {
  methods: { trainSeconds: number }[];
  createdAt?: string;
  runId?: string;
}): unknown {
  return {
    ...metrics,
    runId: undefined,
    createdAt: undefined,
    methods: metrics.methods.map((m) => ({ ...m, trainSeconds: undefined })),
  };
}

/** The dataset spec of tables written by {@link csvRows}, for the given splits (file paths or store: keys). */
export function csvDataset(splits: { rct: string[]; test?: string[] }, name = 'csv') {
  return {
    name,
    splits,
    columns: {
      arm: 'arm',
      revenue: 'revenue',
      cost: 'cost',
      userId: 'user',
      features: ['x1', 'x2'],
      categorical: ['segment'],
    },
    arms: [{ name: 'control', zeroCost: true }, { name: 'coupon' }],
  };
}

/** A small CSV of a 2-arm RCT: x1, x2, segment, arm, revenue, cost. */
export function csvRows(n: number, seed: number): string {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines = ['user,x1,x2,segment,arm,revenue,cost'];
  for (let i = 0; i < n; i++)
    lines.push(
      `u${seed}-${i},${rnd().toFixed(4)},${(rnd() * 3).toFixed(4)},${rnd() < 0.5 ? 'a' : 'b'},${i % 2},` +
        `${(rnd() * 10).toFixed(3)},${i % 2 ? (rnd() * 2).toFixed(3) : 0}`,
    );
  return lines.join('\n') + '\n';
}
