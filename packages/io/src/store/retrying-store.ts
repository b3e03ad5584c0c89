import { isTransientStoreError, type ArtefactStore, type RangeReader } from './artefact-store.js';
import { StoreBase } from './store-base.js';

/** How long a store operation keeps retrying transient faults (network errors, 5xx, throttling). */
export interface StoreRetryPolicy {
  /** Give up once this much time has passed since the first attempt (default 600 s: a 5-minute outage, twice). */
  maxElapsedMs: number;
  /** The first pause; each further one doubles (default 1 s). */
  initialDelayMs: number;
  /** The longest pause between two attempts (default 30 s). */
  maxDelayMs: number;
}

export const DEFAULT_STORE_RETRY: StoreRetryPolicy = {
  maxElapsedMs: 600_000,
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
};

/** One retry about to happen: what failed, and when the next attempt is. */
export interface StoreRetryNotice {
  /** e.g. 'S3 at http://127.0.0.1:9000' */
  target: string;
  op: string;
  key: string;
  /** 1 for the first retry. */
  retry: number;
  delayMs: number;
  error: string;
}

/** "waiting for S3 at http://…, retry 4 in 16 s (reading runs/x/run.json: …)": what `run --wait` and `status` print. */
export function describeStoreRetry(n: StoreRetryNotice): string {
  const seconds = Math.round(n.delayMs / 100) / 10;
  return `waiting for ${n.target}, retry ${n.retry} in ${seconds} s (${n.op} ${n.key}: ${n.error.split('\n')[0]})`;
}

/** The pause before retry `retry` (1-based): exponential, capped. */
export function retryDelayMs(policy: StoreRetryPolicy, retry: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (retry - 1));
}

/**
 * A store that rides out outages of the store it wraps: a transient fault is retried with exponential backoff
 * until the policy's time is spent, then thrown as it was. The S3 client's own retries are spent within seconds,
 * so without this a 30-second outage failed every job that touched the store, and even the record of that
 * failure could not be written (issue 13, item 2). Permanent faults (missing key, access denied) throw at once.
 */
export class RetryingStore extends StoreBase {
  constructor(
    readonly inner: ArtefactStore,
    readonly target: string,
    readonly policy: StoreRetryPolicy = DEFAULT_STORE_RETRY,
    private readonly onRetry?: (notice: StoreRetryNotice) => void,
  ) {
    super();
  }

  private async retrying<T>(op: string, key: string, fn: () => Promise<T>): Promise<T> {
    const t0 = Date.now();
    for (let retry = 1; ; retry++) {
      try {
        return await fn();
      } catch (err) {
        const delayMs = retryDelayMs(this.policy, retry);
        if (!isTransientStoreError(err) || Date.now() - t0 + delayMs > this.policy.maxElapsedMs) throw err;
        try {
          this.onRetry?.({ target: this.target, op, key, retry, delayMs, error: (err as Error).message });
        } catch {
          /* a listener's fault must not turn into the store's */
        }
        await new Promise((r) => setTimeout(r, delayMs));
      }
    }
  }

  put(key: string, body: Uint8Array | string): Promise<void> {
    return this.retrying('writing', key, () => this.inner.put(key, body));
  }
  get(key: string): Promise<Uint8Array> {
    return this.retrying('reading', key, () => this.inner.get(key));
  }
  exists(key: string): Promise<boolean> {
    return this.retrying('checking', key, () => this.inner.exists(key));
  }
  list(prefix: string): Promise<string[]> {
    return this.retrying('listing', prefix, () => this.inner.list(prefix));
  }
  listDirs(prefix: string): Promise<string[]> {
    return this.retrying('listing', prefix, () => this.inner.listDirs(prefix));
  }
  deletePrefix(prefix: string): Promise<number> {
    return this.retrying('deleting under', prefix, () => this.inner.deletePrefix(prefix));
  }
  /** Opening and every ranged read ride out an outage alike. */
  async openRange(key: string): Promise<RangeReader> {
    const r = await this.retrying('opening', key, () => this.inner.openRange(key));
    return { ...r, read: (start, end) => this.retrying('reading', key, () => r.read(start, end)) };
  }
  describe(key?: string): string {
    return this.inner.describe(key);
  }
  /** Releases the wrapped store's sockets, when it has any. */
  destroy(): void {
    (this.inner as { destroy?: () => void }).destroy?.();
  }
}
