import { keys, type DeployBaseline, type FeatureManifest, type ModelEncoding } from '@bidfcl/contracts';
import { encodingMismatch, reencodeFeatures } from '@bidfcl/core';
import { encodeScoreMatrix, loadFeatureSplit, loadManifest } from '@bidfcl/io';
import { PermanentJobError, readCurrentVersion, readRunConfig, type JobHandler } from '@bidfcl/runtime';
import { predictWithModel } from './scores.js';

/** Why a version cannot score this run's test rows, or undefined when it can (after re-encoding). */
function unscorable(manifest: FeatureManifest, encoding: ModelEncoding): string | undefined {
  const names = (arms: { name: string }[]) => arms.map((a) => a.name).join(', ');
  if (names(manifest.arms) !== names(encoding.arms))
    return `its arms (${names(encoding.arms)}) are not this run's (${names(manifest.arms)})`;
  const mismatch = encodingMismatch(manifest, encoding);
  return mismatch ? `${mismatch} it needs` : undefined;
}

/**
 * deploy.score.v1 (if-better deploys): the deploy model's current version scores this run's test split with
 * its own stored encoding (the run's rows re-encoded, never refitted), so that evaluate compares it with the
 * run's methods on the same rows. Records which version it scored, or why it could not (baseline.json).
 */
export const scoreCurrentVersion: JobHandler<'deploy.score.v1'> = async ({ runId }, ctx) => {
  const { store, env } = ctx.runtime;
  const config = await readRunConfig(ctx.runtime, runId);
  if (!config.deploy) throw new PermanentJobError(`run '${runId}' has no deploy block: there is nothing to score`);
  const model = config.deploy.model;
  const current = await readCurrentVersion(store, model);
  let baseline: DeployBaseline = { model };
  if (current) {
    const manifest = await loadManifest(store, runId);
    const scored = { version: current.version, runId: current.runId, method: current.method };
    const why = unscorable(manifest, current.encoding);
    if (why) baseline = { model, ...scored, unscorable: why };
    else {
      const test = reencodeFeatures(await loadFeatureSplit(store, manifest, 'test'), manifest, current.encoding);
      const scores = await predictWithModel(store, current.weights, current.encoding, test, env.tfBackend);
      const scoresKey = keys.deployBaselineScores(runId);
      await store.put(scoresKey, encodeScoreMatrix(scores));
      baseline = { model, ...scored, scoresKey };
    }
  }
  await store.putJson(keys.deployBaseline(runId), baseline);
  return baseline;
};
