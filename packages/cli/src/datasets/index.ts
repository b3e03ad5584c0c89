import { datasetSpecSchema, keys, type DatasetSpecInput } from '@bidfcl/contracts';
import type { ArtefactStore } from '@bidfcl/io';
import { usageError } from '../cli-error.js';
import {
  buildHillstromHybrid,
  DEFAULT_RULE,
  hillstromSpec,
  parseTargetingRule,
  ruleLabel,
  type TargetingRule,
} from './hillstrom.js';
import { buildLbcfRct, lbcfSpec } from './lbcf.js';
import { formatBuiltDataset, type BuiltDatasetStats } from './split-stats.js';
import { writeSplits } from './split-table.js';

export { defaultDataDir, findRepoRoot, requireDataFile, DATA_DIR_ENV } from './data-dir.js';
export {
  HILLSTROM_ARMS,
  HILLSTROM_CATEGORICAL,
  HILLSTROM_FILE,
  HILLSTROM_NUMERIC,
  HILLSTROM_SPLIT_FRACTIONS,
  RULE_VALUE_THRESHOLD,
  DEFAULT_RULE,
  hillstromRuleArm,
  hillstromRows,
  parseTargetingRule,
  ruleLabel,
  type TargetingRule,
  type RuleFeatures,
  type HillstromRows,
} from './hillstrom.js';
export { LBCF_ARM_COSTS, LBCF_FEATURES, LBCF_FILES, LBCF_VAL_FRACTION } from './lbcf.js';
export { formatBuiltDataset, type BuiltDatasetStats, type SplitStats, type ObsBias } from './split-stats.js';

/** Datasets built from the real RCT files in the data directory (docs/method.md §6). */
export const BUILTIN_DATASETS = ['hillstrom-hybrid', 'lbcf-rct'] as const;
export type BuiltinDatasetName = (typeof BUILTIN_DATASETS)[number];

export function isBuiltinDataset(name: string): name is BuiltinDatasetName {
  return (BUILTIN_DATASETS as readonly string[]).includes(name);
}

/** Options of {@link materializeBuiltinDataset}. */
export interface MaterializeOptions {
  /** Folder holding hillstrom.csv and lbcf-rct/ (see `defaultDataDir`). */
  dataDir: string;
  store: ArtefactStore;
  /** Seeds the splits (and the noisy targeting rule). */
  seed: number;
  /** Dataset version (default `seed-<seed>`, plus `-noisy-<p>` for a noisy hillstrom rule). */
  version?: string;
  /**
   * hillstrom-hybrid's targeting rule: a rule or its text ('value' | 'noisy' | 'noisy:<p>'); default 'value'.
   * Ignored by lbcf-rct.
   */
  rule?: TargetingRule | string;
}

/** A built-in dataset written to the store. */
export interface MaterializedDataset {
  /** Points at the written parts with `store:` URIs. */
  spec: DatasetSpecInput;
  /** Rows per split, arm shares, mean revenue/cost per arm, and for OBS its bias against the RCT. */
  summary: string;
  stats: BuiltDatasetStats;
  /** Store key of dataset.yaml (the spec, for a run config's `dataset`). */
  datasetKey: string;
}

/**
 * Reads a built-in dataset's CSV file(s) from `dataDir`, builds its splits, writes them as Parquet under
 * `datasets/<name>/<version>/<split>/part-00000.parquet` plus `dataset.yaml`, and returns the spec (with
 * `store:` URIs) and a summary. Deterministic for a seed. A missing folder or file is a CliError (exit 2)
 * naming the path and how to point elsewhere ($BIDFCL_DATA_DIR or --data-dir).
 */
export async function materializeBuiltinDataset(name: string, opts: MaterializeOptions): Promise<MaterializedDataset> {
  if (!isBuiltinDataset(name))
    throw usageError(`unknown built-in dataset '${name}' (built-in: ${BUILTIN_DATASETS.join(', ')})`);
  const { store, dataDir, seed } = opts;
  let spec: DatasetSpecInput;
  let stats: BuiltDatasetStats;
  if (name === 'hillstrom-hybrid') {
    const rule = typeof opts.rule === 'string' ? parseTargetingRule(opts.rule) : (opts.rule ?? DEFAULT_RULE);
    const version = opts.version ?? `seed-${seed}${rule.kind === 'value' ? '' : `-${ruleLabel(rule)}`}`;
    const built = await buildHillstromHybrid(dataDir, seed, rule, version);
    const uris = await writeSplits(store, keys.datasetPrefix(name, version), built.splits);
    spec = hillstromSpec(version, uris);
    stats = built.stats;
  } else {
    const version = opts.version ?? `seed-${seed}`;
    const built = await buildLbcfRct(dataDir, seed, version);
    const uris = await writeSplits(store, keys.datasetPrefix(name, version), built.splits);
    spec = lbcfSpec(version, uris, built.propensities);
    stats = built.stats;
  }
  const { version } = datasetSpecSchema.parse(spec);
  const datasetKey = keys.datasetSpec(name, version);
  const { stringify } = await import('yaml');
  await store.put(
    datasetKey,
    `# Built by bidfcl from ${dataDir} (seed ${seed}): point a run config's dataset at this file.\n${stringify(spec)}`,
  );
  return { spec, summary: formatBuiltDataset(stats), stats, datasetKey };
}
