import { keys, type RunConfig, type Split } from '@bidfcl/contracts';
import { createRng, deriveSeed } from '@bidfcl/core';
import { DatasetValidationError, readSource, readTable, validateRawTable, writeParquet } from '@bidfcl/io';
import { PermanentJobError, readRunConfig, type JobHandler } from '@bidfcl/runtime';
import { partStats } from './stats.js';
import { selectRows, stagedToColumns, type StagedPart } from './staging.js';

/**
 * Where the rows of one input part go. RCT rows are split into val/test with the run seed when the dataset
 * has no such split; every other split keeps its rows.
 */
export function carveDestinations(config: RunConfig, split: Split, part: number, n: number): Partial<Record<Split, Uint8Array>> {
  const spec = config.dataset;
  const carveVal = split === 'rct' && spec.splits.val.length === 0;
  const carveTest = split === 'rct' && spec.splits.test.length === 0;
  if (!carveVal && !carveTest) return { [split]: new Uint8Array(n).fill(1) };
  const rng = createRng(deriveSeed(config.seed, 'carve', part));
  const dest: Partial<Record<Split, Uint8Array>> = { rct: new Uint8Array(n) };
  if (carveVal) dest.val = new Uint8Array(n);
  if (carveTest) dest.test = new Uint8Array(n);
  const testCut = carveTest ? spec.testFraction : 0;
  const valCut = testCut + (carveVal ? spec.valFraction : 0);
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    const to: Split = u < testCut ? 'test' : u < valCut ? 'val' : 'rct';
    dest[to]![i] = 1;
  }
  return dest;
}

/** features.part.v1: read one input file, validate it, stage it (raw values) with its statistics. */
export const featuresPart: JobHandler<'features.part.v1'> = async ({ runId, split, part, source }, ctx) => {
  const { store, env } = ctx.runtime;
  const config = await readRunConfig(ctx.runtime, runId);
  const spec = config.dataset;
  const src = await readSource(source, store, env.s3);
  const format = spec.format ?? src.format;
  if (!format) throw new PermanentJobError(`cannot tell the format of ${src.what}: name it .parquet or .csv, or set dataset.format`);
  let raw;
  try {
    raw = readTable(src.bytes, format, src.what);
  } catch (err) {
    if (err instanceof DatasetValidationError) throw err;
    throw new PermanentJobError(`${src.what}: not a readable ${format} file (${(err as Error).message})`);
  }
  const v = validateRawTable(raw, spec, { file: src.what, split });
  const staged: StagedPart = { ...v, m: spec.arms.length };
  await ctx.progress({ rows: staged.n, validated: true });

  let first: { stagingKey: string; statsKey: string } | undefined;
  for (const [dest, keep] of Object.entries(carveDestinations(config, split, part, staged.n)) as [Split, Uint8Array][]) {
    const rows = keep.every((k) => k === 1) ? staged : selectRows(staged, keep);
    const stagingKey = keys.featuresStaging(runId, dest, part);
    const statsKey = keys.featuresStagingStats(runId, dest, part);
    await store.put(stagingKey, writeParquet(stagedToColumns(rows)));
    await store.putJson(statsKey, partStats(rows));
    first ??= { stagingKey, statsKey };
  }
  return { rows: staged.n, ...first! };
};
