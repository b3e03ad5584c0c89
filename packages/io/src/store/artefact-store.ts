/**
 * The storage abstraction every worker uses for artefacts (tables, manifests, model weights).
 * Keys are '/'-separated relative paths built by contracts' key builders; a store maps them to files or
 * S3 objects.
 */
export interface ArtefactStore {
  /** Writes (or replaces) one object. Readers never observe a half-written object. */
  put(key: string, body: Uint8Array | string): Promise<void>;
  /** Reads one object; throws {@link NotFoundError} when it does not exist. */
  get(key: string): Promise<Uint8Array>;
  /** Reads one object as UTF-8 text; throws {@link NotFoundError} when it does not exist. */
  getText(key: string): Promise<string>;
  /** Writes a value as pretty-printed JSON. */
  putJson(key: string, value: unknown): Promise<void>;
  /** Reads and parses a JSON object (no schema check: callers parse with contracts' zod schemas). */
  getJson<T = unknown>(key: string): Promise<T>;
  exists(key: string): Promise<boolean>;
  /** Every key that starts with `prefix` (a plain string prefix, as in S3), sorted, all pages. */
  list(prefix: string): Promise<string[]>;
  /**
   * The names one level below `prefix` ('' or ending in '/') that hold at least one key, sorted — an S3 listing
   * with Delimiter '/'. Finds run ids, say, without listing every artefact of every run.
   */
  listDirs(prefix: string): Promise<string[]>;
  /** Deletes every key that starts with `prefix`; returns how many objects were deleted. */
  deletePrefix(prefix: string): Promise<number>;
  /** Where a key (or the store itself) lives, for messages: a file path or `s3://bucket/key`. */
  describe(key?: string): string;
  /**
   * Opens one object for reads of byte ranges (a ranged GET on S3), so that a reader of one Parquet row group
   * never holds the whole file; throws {@link NotFoundError} when it does not exist.
   */
  openRange(key: string): Promise<RangeReader>;
}

/** An object read by byte ranges (see {@link ArtefactStore.openRange}). */
export interface RangeReader {
  /** The object's size in bytes. */
  size: number;
  /** Bytes [start, end) (end clamped to the size). */
  read(start: number, end: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Connection settings for S3-compatible storage; callers (runtime, CLI) fill it from their config. */
export interface S3Credentials {
  /** e.g. http://127.0.0.1:9000 for MinIO/s3rver; omitted for AWS. */
  endpoint?: string;
  /** Defaults to us-east-1 where a region is needed and none was given. */
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Path-style addressing (bucket in the path), the default: MinIO and s3rver need it. */
  forcePathStyle?: boolean;
  /**
   * Seconds a request may wait to connect, or wait with no byte moving on its socket, before it fails as a
   * transient error (so the retry policy takes over) instead of hanging for ever on a server that accepted the
   * connection and went silent. Default {@link DEFAULT_S3_TIMEOUT_SECONDS}.
   */
  timeoutSeconds?: number;
}

export const DEFAULT_S3_TIMEOUT_SECONDS = 60;

/** A missing artefact. The message names the key and the store's location. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(
    readonly key: string,
    readonly location: string,
  ) {
    super(`artefact '${key}' not found (looked for ${location})`);
  }
}

/**
 * A storage failure with the operation and location in its message. `transient` says whether retrying
 * may help (network trouble, 5xx, throttling) — the runtime maps it to a retry rather than a failed job.
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    message: string,
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'EBUSY',
  'EMFILE',
  'ENFILE',
]);
const TRANSIENT_NAMES = new Set([
  'SlowDown',
  'ThrottlingException',
  'Throttling',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeTooSkewed',
]);

/**
 * True when retrying the failed store operation may succeed: connection failures, timeouts, HTTP 5xx,
 * S3 throttling (SlowDown). False for missing keys, bad keys, access denied and other permanent faults.
 * Looks through `cause` chains so wrapped errors classify the same.
 */
export function isTransientStoreError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 8; depth++) {
    if (e instanceof NotFoundError) return false;
    if (e instanceof StoreError) return e.transient;
    const o = e as { code?: unknown; name?: unknown; $retryable?: unknown; $metadata?: { httpStatusCode?: unknown } };
    if (typeof o.code === 'string' && TRANSIENT_CODES.has(o.code)) return true;
    if (typeof o.name === 'string' && TRANSIENT_NAMES.has(o.name)) return true;
    if (o.$retryable) return true;
    const status = o.$metadata?.httpStatusCode;
    if (typeof status === 'number' && (status >= 500 || status === 429)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
