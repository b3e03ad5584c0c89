import { keys, type Split, type StagedPart } from '@bidfcl/contracts';
import { carveDestinations, partStats, selectRows } from '@bidfcl/core';
import { DatasetValidationError, encodeStagedPart, readSource, readTable, validateRawTable } from '@bidfcl/io';
import { PermanentJobError, readRunConfig, sourceAccess, type JobHandler } from '@bidfcl/runtime';

/** features.part.v1: read one input file, validate it, stage it (raw values) with its statistics. */
export const featuresPart: JobHandler<'features.part.v1'> = async ({ runId, split, part, source }, ctx) => {
  const { store, env } = ctx.runtime;
  const config = await readRunConfig(ctx.runtime, runId);
  const spec = config.dataset;
  const src = await readSource(source, store, sourceAccess(env));
  const format = spec.format ?? src.format;
  if (!format)
    throw new PermanentJobError(
      `cannot tell the format of ${src.what}: name it .parquet or .csv, or set dataset.format`,
    );
  let raw;
  try {
    raw = await readTable(src.bytes, format, src.what);
  } catch (err) {
    if (err instanceof DatasetValidationError) throw err;
    throw new PermanentJobError(`${src.what}: not a readable ${format} file (${(err as Error).message})`);
  }
  const v = validateRawTable(raw, spec, { file: src.what, split });
  const staged: StagedPart = { ...v, m: spec.arms.length };
  await ctx.progress({ rows: staged.n, validated: true });

  let first: { stagingKey: string; statsKey: string } | undefined;
  for (const [dest, keep] of Object.entries(carveDestinations(config, split, part, staged.n)) as [
    Split,
    Uint8Array,
  ][]) {
    const rows = keep.every((k) => k === 1) ? staged : selectRows(staged, keep);
    const stagingKey = keys.featuresStaging(runId, dest, part);
    const statsKey = keys.featuresStagingStats(runId, dest, part);
    await store.put(stagingKey, encodeStagedPart(rows));
    await store.putJson(statsKey, partStats(rows));
    first ??= { stagingKey, statsKey };
  }
  return { rows: staged.n, ...first! };
};
