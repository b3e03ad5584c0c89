import type { DatasetSpecInput, RunConfigInput } from '@bidfcl/contracts';
import type { RuntimeContext } from '@bidfcl/runtime';
import { loadRunConfigFile } from './config-file.js';

export interface BenchDatasetSource {
  datasetFor(seed: number, ctx: RuntimeContext): Promise<{ dataset: DatasetSpecInput; name: string }>;
  /** Run-config settings the source brings (a config file's training settings, say). */
  baseConfig: Partial<RunConfigInput>;
}

/**
 * `bench --dataset`: a run config file (its dataset and settings; the seed varies per bench seed, which
 * re-draws the val/test carve-out where the dataset has none).
 */
export async function datasetSource(dataset: string, _dataDir: string | undefined): Promise<BenchDatasetSource> {
  const config = await loadRunConfigFile(dataset);
  const { runId: _r, seed: _s, dataset: spec, ...rest } = config;
  return { datasetFor: async () => ({ dataset: spec, name: spec.name }), baseConfig: rest };
}
