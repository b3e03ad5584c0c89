import type { MethodId, RunConfig } from '@bidfcl/contracts';
import { loadFeatureSplit, loadManifest, loadWeights, type ArtefactStore } from '@bidfcl/io';
import {
  arraysToParams,
  createBidfclContext,
  disposeParams,
  type BidfclContext,
  type BidfclSettings,
} from '@bidfcl/learn';
import { keys } from '@bidfcl/contracts';

interface Entry {
  key: string;
  ctx: BidfclContext;
  settings: BidfclSettings;
}

/**
 * The hypergradient worker keeps a run's datasets (and the Teacher's predictions on them) in memory between
 * jobs: a Bi-DFCL run sends hundreds of steps for the same (run, method). A couple of entries are kept, the
 * least recently used one is released first.
 */
export class ContextCache {
  private readonly entries: Entry[] = [];

  constructor(private readonly capacity = 2) {}

  async get(store: ArtefactStore, config: RunConfig, method: MethodId): Promise<Entry> {
    const key = `${config.runId}/${method}`;
    const at = this.entries.findIndex((e) => e.key === key);
    if (at >= 0) {
      const [hit] = this.entries.splice(at, 1);
      this.entries.unshift(hit!);
      return hit!;
    }
    const manifest = await loadManifest(store, config.runId);
    const [rct, obs, teacherWeights] = await Promise.all([
      loadFeatureSplit(store, manifest, 'rct'),
      loadFeatureSplit(store, manifest, 'obs'),
      loadWeights(store, keys.model(config.runId, method, 'teacher')),
    ]);
    const settings: BidfclSettings = {
      training: config.training,
      dfcl: config.dfcl,
      bidfcl: config.bidfcl,
      seed: config.seed,
    };
    const teacher = arraysToParams(teacherWeights.weights);
    let ctx: BidfclContext;
    try {
      ctx = createBidfclContext(
        {
          rct,
          obs,
          scale: manifest.targetScale,
          propensities: manifest.propensities,
          zeroCostArms: manifest.arms.map((a) => a.zeroCost),
        },
        teacher,
        settings,
      );
    } finally {
      disposeParams(teacher);
    }
    const entry = { key, ctx, settings };
    this.entries.unshift(entry);
    while (this.entries.length > this.capacity) this.entries.pop()!.ctx.dispose();
    return entry;
  }

  clear(): void {
    for (const e of this.entries.splice(0)) e.ctx.dispose();
  }
}
