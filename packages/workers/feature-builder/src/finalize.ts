import { SPLITS, keys, type FeatureManifest, type Split } from '@bidfcl/contracts';
import { encodePart, fitEncoding, mergeStats, rowRange, stdOf, type PartStats } from '@bidfcl/core';
import { checkArmCoverage, decodeStagedPart, encodeFeatureTable } from '@bidfcl/io';
import { PermanentJobError, enqueueTrainingFlow, readRunConfig, type JobHandler } from '@bidfcl/runtime';

/**
 * features.finalize.v1: merge the parts' statistics, learn the encoding on the training splits (rct + obs),
 * write standardised shards for every split, then the manifest (last: a reader never sees half a stage),
 * then enqueue training → allocation → evaluation.
 */
export const featuresFinalize: JobHandler<'features.finalize.v1'> = async ({ runId }, ctx) => {
  const { store } = ctx.runtime;
  const config = await readRunConfig(ctx.runtime, runId);
  const spec = config.dataset;
  const m = spec.arms.length;

  const staged: Record<Split, { key: string; stats: PartStats }[]> = { rct: [], val: [], obs: [], test: [] };
  for (const split of SPLITS) {
    const all = await store.list(keys.featuresStagingPrefix(runId, split));
    for (const key of all.filter((k) => k.endsWith('.parquet'))) {
      staged[split].push({ key, stats: await store.getJson<PartStats>(keys.featuresStagingStatsOf(key)) });
    }
  }
  const merged = Object.fromEntries(
    SPLITS.map((s) => [
      s,
      mergeStats(
        staged[s].map((p) => p.stats),
        m,
      ),
    ]),
  ) as Record<Split, PartStats>;
  const rctFiles = spec.splits.rct.join(', ');
  checkArmCoverage(merged.rct.armCounts, spec.arms, rctFiles);
  if (merged.test.rows === 0)
    throw new PermanentJobError(
      `dataset '${spec.name}' has no test rows: give a test split or keep dataset.testFraction > 0`,
    );
  if (merged.val.rows === 0)
    throw new PermanentJobError(
      `dataset '${spec.name}' has no validation rows: give a val split or keep dataset.valFraction > 0`,
    );

  const training = mergeStats([merged.rct, merged.obs], m);
  const numericNames = spec.columns.features;
  const categoricalNames = spec.columns.categorical;
  const encoding = fitEncoding(training, numericNames, categoricalNames);

  const splits = {} as FeatureManifest['splits'];
  let hasTruth = false;
  for (const split of SPLITS) {
    const parts: string[] = [];
    let index = 0;
    for (const { key } of staged[split]) {
      const part = decodeStagedPart(await store.get(key), m, store.describe(key));
      if (split === 'test' && part.trueRevenue) hasTruth = true;
      // Shard large inputs into partRows-sized files so downstream readers can stream.
      for (let start = 0; start < part.n; start += config.features.partRows) {
        const chunk = rowRange(part, start, Math.min(part.n, start + config.features.partRows));
        const outKey = keys.featuresPart(runId, split, index++);
        await store.put(outKey, encodeFeatureTable(encodePart(chunk, encoding, numericNames, categoricalNames)));
        parts.push(outKey);
      }
    }
    splits[split] = { rows: merged[split].rows, parts, armCounts: merged[split].armCounts };
    await ctx.progress({ split, parts: parts.length });
  }

  const rctRows = merged.rct.rows;
  const manifest: FeatureManifest = {
    runId,
    dataset: { name: spec.name, version: spec.version },
    arms: spec.arms,
    ...encoding,
    targetScale: { revenue: stdOf(merged.rct.revenue, rctRows), cost: stdOf(merged.rct.cost, rctRows) },
    propensities: spec.propensities ?? merged.rct.armCounts.map((c) => c / rctRows),
    splits,
    hasTruth,
    createdAt: new Date().toISOString(),
  };
  const manifestKey = keys.featuresManifest(runId);
  await store.putJson(manifestKey, manifest);
  await enqueueTrainingFlow(ctx.runtime, config);
  return { manifestKey, rows: Object.fromEntries(SPLITS.map((s) => [s, merged[s].rows])) };
};
