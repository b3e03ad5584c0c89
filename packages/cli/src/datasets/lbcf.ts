import type { DatasetSpecInput, Split } from '@bidfcl/contracts';
import { createRng, deriveSeed } from '@bidfcl/core';
import type { RawTable } from '@bidfcl/io';
import { numberColumn, readCsvFile, requireDataFile } from './data-dir.js';
import { splitStats, type BuiltDatasetStats } from './split-stats.js';
import { pick, takeRawRows, type SplitTable } from './split-table.js';

/** The files lbcf-rct reads from the data directory. */
export const LBCF_FILES = { train: 'lbcf-rct/rct_training.csv', test: 'lbcf-rct/rct_test.csv' } as const;

/** Cost of arm j (the coin value of exp_group j, docs/method.md §6): every row of arm j costs this much. */
export const LBCF_ARM_COSTS = [0.1, 0.4, 0.6, 0.8, 1.1, 1.4, 1.7, 2.0] as const;

export const LBCF_FEATURES = Array.from({ length: 14 }, (_, k) => `c${k}`);

/**
 * Share of rct_training.csv kept aside as the validation split (seeded). Decision: split here rather than
 * leave it to the feature builder's `valFraction`, so that the stored dataset is complete, the summary can
 * show it, and the split depends on the dataset seed (like hillstrom-hybrid's) rather than on each run's seed.
 */
export const LBCF_VAL_FRACTION = 0.2;

/** Arm per row from exp_group: integers 0..7 (an error naming the first other value). */
export function lbcfArms(raw: RawTable, file: string): Int32Array {
  const g = numberColumn(raw, 'exp_group', file);
  return Int32Array.from(g, (v, i) => {
    if (!(Number.isInteger(v) && v >= 0 && v < LBCF_ARM_COSTS.length))
      throw new Error(`${file}: exp_group ${v} at data row ${i + 1} is not an arm 0..${LBCF_ARM_COSTS.length - 1}`);
    return v;
  });
}

/**
 * The dataset spec of lbcf-rct. Revenue = label (a continuous, non-negative outcome in the published files;
 * revenue is not sign-checked, so a negative label would simply be a loss). Cost = the arm's coin value, a
 * constant per arm, so every cost is positive and no arm is zeroCost. No OBS: methods that need it are
 * skipped by the trainer with a message.
 */
export function lbcfSpec(version: string, uris: Record<Split, string[]>, propensities: number[]): DatasetSpecInput {
  return {
    name: 'lbcf-rct',
    version,
    format: 'parquet',
    splits: uris,
    columns: { arm: 'arm', revenue: 'label', cost: 'cost', userId: 'user_id', features: [...LBCF_FEATURES] },
    arms: LBCF_ARM_COSTS.map((c) => ({ name: `coin-${c}`, value: c, zeroCost: false })),
    propensities,
  };
}

/** Reads the two CSV files and builds rct / val / test (no obs), the empirical propensities and statistics. */
export async function buildLbcfRct(
  dataDir: string,
  seed: number,
  version: string,
): Promise<{ splits: Partial<Record<Split, SplitTable>>; propensities: number[]; stats: BuiltDatasetStats }> {
  const m = LBCF_ARM_COSTS.length;
  const read = async (rel: string) => {
    const file = requireDataFile(dataDir, rel, 'lbcf-rct');
    const raw = await readCsvFile(file);
    const arm = lbcfArms(raw, file);
    const label = numberColumn(raw, 'label', file);
    for (const f of LBCF_FEATURES) numberColumn(raw, f, file);
    return { file, raw, arm, label };
  };
  const train = await read(LBCF_FILES.train);
  const test = await read(LBCF_FILES.test);

  const order = Int32Array.from({ length: train.raw.numRows }, (_, i) => i);
  createRng(deriveSeed(seed, 'lbcf-rct', 'val')).shuffle(order);
  const nVal = Math.round(train.raw.numRows * LBCF_VAL_FRACTION);
  const valRows = order.slice(0, nVal).sort();
  const rctRows = order.slice(nVal).sort();
  const testRows = Int32Array.from({ length: test.raw.numRows }, (_, i) => i);

  const rename = { label: 'label', ...Object.fromEntries(LBCF_FEATURES.map((f) => [f, f])) };
  const build = (src: typeof train, idx: Int32Array, tag: string): SplitTable => {
    const arm = pick(src.arm, idx);
    return {
      n: idx.length,
      columns: {
        user_id: Array.from(idx, (i) => `${tag}-${i + 1}`), // file and 1-based data row
        arm,
        cost: Float64Array.from(arm, (j) => LBCF_ARM_COSTS[j]!),
        ...takeRawRows(src.raw, idx, rename),
      },
    };
  };
  const splits = {
    rct: build(train, rctRows, 'train'),
    val: build(train, valRows, 'train'),
    test: build(test, testRows, 'test'),
  };

  // The design's assignment probabilities are not published: estimate them by the arm shares of both files
  // pooled (4,000 rows; the counts are consistent with a uniform 1/8 design, chi-square p ≈ 0.14).
  const counts = new Array<number>(m).fill(0);
  for (const a of [train.arm, test.arm]) for (const j of a) counts[j]! += 1;
  const total = counts.reduce((s, c) => s + c, 0);
  const propensities = counts.map((c) => c / total);
  for (const [j, p] of propensities.entries())
    if (p === 0) throw new Error(`lbcf-rct: arm ${j} has no rows in ${LBCF_FILES.train} or ${LBCF_FILES.test}`);

  let negative = 0;
  for (const a of [train.label, test.label]) for (const v of a) if (v < 0) negative++;
  const stat = (t: SplitTable) =>
    splitStats(t.columns.arm as Int32Array, t.columns.label as Float64Array, t.columns.cost as Float64Array, m);
  const stats: BuiltDatasetStats = {
    name: 'lbcf-rct',
    version,
    arms: LBCF_ARM_COSTS.map((c) => `coin ${c}`),
    splits: { rct: stat(splits.rct), val: stat(splits.val), test: stat(splits.test) },
    notes: [
      `${train.raw.numRows} + ${test.raw.numRows} rows of ${train.file} and ${test.file}; ` +
        "revenue = label, cost = the arm's coin value; " +
        `validation = ${nVal} rows of the training file (seed ${seed})`,
      `propensities = pooled arm shares ${propensities.map((p) => p.toFixed(4)).join(', ')}`,
      negative > 0
        ? `${negative} rows have a negative label (a loss: revenue is not sign-checked)`
        : 'every label is ≥ 0',
      'no OBS split: methods that need observational data are skipped',
    ],
  };
  return { splits, propensities, stats };
}
