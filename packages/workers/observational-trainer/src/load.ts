import type { FeatureManifest, FeatureTable } from '@bidfcl/contracts';
import { loadFeatureSplit, type ArtefactStore } from '@bidfcl/io';

/** What every trainer consumes: the run's splits in model units' terms, plus the facts needed to scale them. */
export interface TrainingData {
  rct: FeatureTable;
  val: FeatureTable;
  obs?: FeatureTable;
  propensities: number[];
  scale: { revenue: number; cost: number };
  zeroCostArms: boolean[];
}

export async function loadTrainingData(
  store: ArtefactStore,
  manifest: FeatureManifest,
  withObs: boolean,
): Promise<TrainingData> {
  const [rct, val, obs] = await Promise.all([
    loadFeatureSplit(store, manifest, 'rct'),
    loadFeatureSplit(store, manifest, 'val'),
    withObs ? loadFeatureSplit(store, manifest, 'obs') : Promise.resolve(undefined),
  ]);
  return {
    rct,
    val,
    ...(obs ? { obs } : {}),
    propensities: manifest.propensities,
    scale: manifest.targetScale,
    zeroCostArms: manifest.arms.map((a) => a.zeroCost),
  };
}
