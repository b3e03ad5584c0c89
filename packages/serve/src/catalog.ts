import type { ArtefactStore } from '@bidfcl/io';
import { listModels, readCurrentAllocation } from '@bidfcl/runtime';
import type { BackendPreference } from '@bidfcl/learn';
import type { FastifyBaseLogger } from 'fastify';
import { loadSnapshot, type Snapshot } from './snapshot.js';

/** Why a model has nothing to serve: it does not exist, or has no finished allocation yet. */
export type Absent = { kind: 'unknown' } | { kind: 'unavailable'; reason: string };

/**
 * The snapshots a replica serves, one per model, and the loop that keeps them current. Each poll reads every
 * model's current-allocation pointer; a new one is loaded completely beside the old snapshot, then put in the map
 * in one assignment: requests already holding the old snapshot finish with it, later ones get the new one, and no
 * request sees a mixture. Every replica polls, so all switch within one poll interval plus the load time.
 */
export class Catalog {
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly known = new Set<string>();
  private readonly failures = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private stopped = false;
  /** Called after each swap (metrics). */
  onSwap: (s: Snapshot) => void = () => undefined;

  /** Set by startServe once the app's logger exists. */
  log: Pick<FastifyBaseLogger, 'info' | 'error'> = { info: () => undefined, error: () => undefined };

  constructor(
    private readonly store: ArtefactStore,
    private readonly backend: BackendPreference,
    private readonly only?: readonly string[],
  ) {}

  get(model: string): Snapshot | Absent {
    const s = this.snapshots.get(model);
    if (s) return s;
    if (!this.known.has(model)) return { kind: 'unknown' };
    const failed = this.failures.get(model);
    return {
      kind: 'unavailable',
      reason: failed ?? `model '${model}' has no current allocation yet: run bidfcl allocate --model ${model}`,
    };
  }

  /** Every loaded snapshot (metrics, readiness). */
  all(): Snapshot[] {
    return [...this.snapshots.values()];
  }

  /** One poll of every model's pointer; loads and swaps what changed. Errors keep the old snapshot. */
  async poll(): Promise<void> {
    const models = this.only ?? (await listModels(this.store));
    for (const model of models) {
      this.known.add(model);
      try {
        const pointer = await readCurrentAllocation(this.store, model);
        const held = this.snapshots.get(model);
        if (!pointer || (held && held.allocationId === pointer.allocationId)) continue;
        const next = await loadSnapshot(this.store, pointer, this.backend);
        if (this.stopped) {
          next.scorer.dispose();
          return;
        }
        this.snapshots.set(model, next); // the switch: one reference replaced
        // Safe to free now: a request scores synchronously right after taking its snapshot (routes/decisions.ts),
        // so no request holds the old one across an await and still needs its tensors.
        held?.scorer.dispose();
        this.failures.delete(model);
        this.log.info(
          { model, allocationId: next.allocationId, version: next.version.version, lambda: next.lambdaStar },
          `serving allocation ${next.allocationId} (${next.index.size} users, ` +
            `loaded in ${next.loadSeconds.toFixed(2)} s)`,
        );
        this.onSwap(next);
      } catch (err) {
        const reason = `allocation of model '${model}' could not be loaded: ${(err as Error).message}`;
        this.failures.set(model, reason);
        this.log.error({ model }, reason);
      }
    }
  }

  /** Polls now and then every `intervalMs` (one poll at a time) until stop(). Resolves after the first poll. */
  async start(intervalMs: number): Promise<void> {
    await this.pollOnce();
    const tick = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.pollOnce().finally(tick), intervalMs);
    };
    tick();
  }

  private pollOnce(): Promise<void> {
    this.polling ??= this.poll()
      .catch((err: unknown) => this.log.error(`polling the store failed: ${(err as Error).message}`))
      .finally(() => (this.polling = undefined));
    return this.polling;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling;
    for (const s of this.snapshots.values()) s.scorer.dispose();
    this.snapshots.clear();
  }
}

export const isSnapshot = (s: Snapshot | Absent): s is Snapshot => 'index' in s;
