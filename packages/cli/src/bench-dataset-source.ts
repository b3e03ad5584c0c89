import type { DatasetSpecInput, RunConfigInput } from '@bidfcl/contracts';
import type { RuntimeContext } from '@bidfcl/runtime';
import { loadRunConfigFile } from './config-file.js';
import { defaultDataDir, isBuiltinDataset, materializeBuiltinDataset } from './datasets/index.js';

export interface BenchDatasetSource {
  datasetFor(seed: number, ctx: RuntimeContext): Promise<{ dataset: DatasetSpecInput; name: string }>;
  /** Run-config settings the source brings (a config file's settings, or a built-in dataset's budgets). */
  baseConfig: Partial<RunConfigInput>;
}

/**
 * Budgets per built-in dataset. Hillstrom's cost is visits, which the no-e-mail arm has too (≈ 0.108 per user
 * against 0.147 under uniform random arms): fractions below ≈ 0.73 cannot be met by any allocation.
 */
const BUILTIN_BUDGETS: Record<string, number[]> = { 'hillstrom-hybrid': [0.8, 0.9, 1.0, 1.1] };

/**
 * `bench --dataset`: a built-in real dataset (rebuilt per seed: seed s re-draws its splits) or a run config
 * file (its dataset and settings; seed s re-draws the val/test carve-out where the dataset has none).
 */
export async function datasetSource(
  dataset: string,
  dataDir: string | undefined,
  configSets: Record<string, unknown> = {},
): Promise<BenchDatasetSource> {
  if (isBuiltinDataset(dataset)) {
    const dir = dataDir ?? defaultDataDir();
    const budgets = BUILTIN_BUDGETS[dataset];
    return {
      datasetFor: async (seed, ctx) => {
        const built = await materializeBuiltinDataset(dataset, { dataDir: dir, store: ctx.store, seed });
        console.log(built.summary);
        return { dataset: built.spec, name: dataset };
      },
      baseConfig: budgets ? { evaluation: { budgets } } : {},
    };
  }
  // `--config-set` goes onto the file's text, before parsing: a parsed config gives bidfcl.lowerData and
  // teacherData explicitly (resolved from bidfcl.preset), so a preset set on the parsed one would change nothing.
  const config = await loadRunConfigFile(dataset, configSets);
  const { runId: _r, seed: _s, dataset: spec, ...rest } = config;
  return { datasetFor: async () => ({ dataset: spec, name: spec.name }), baseConfig: rest };
}
