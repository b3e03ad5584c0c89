import { fileURLToPath } from 'node:url';
import { type ArtefactStore, type S3Credentials } from './artefact-store.js';
import { LocalStore } from './local-store.js';
import { DEFAULT_STORE_RETRY, RetryingStore, type StoreRetryNotice, type StoreRetryPolicy } from './retrying-store.js';
import { S3Store } from './s3-store.js';

/** Splits `s3://bucket/some/key` into bucket and the rest; throws when the bucket is missing. */
export function parseS3Url(url: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url);
  if (!m || !m[1]) throw new Error(`invalid S3 URL '${url}': expected s3://bucket/key`);
  return { bucket: m[1], key: m[2] ?? '' };
}

export interface StoreRetryOptions {
  policy?: Partial<StoreRetryPolicy>;
  /** Called before each retry (a worker publishes it to the run's channel, the CLI prints it). */
  onRetry?(notice: StoreRetryNotice): void;
}

/**
 * Opens the store a URL names: `s3://bucket/optional/prefix` → {@link S3Store} (endpoint, region and
 * credentials from `s3`; region defaults to us-east-1) behind a {@link RetryingStore}, so that an outage of the
 * S3 server is waited out (`retry`, default {@link DEFAULT_STORE_RETRY}); anything else (a directory path or
 * `file://` URL) → {@link LocalStore}.
 */
export function createStore(url: string, s3?: S3Credentials, retry: StoreRetryOptions = {}): ArtefactStore {
  if (url.startsWith('s3://')) {
    const { bucket, key } = parseS3Url(url);
    const store = new S3Store({ ...s3, region: s3?.region ?? 'us-east-1', bucket, prefix: key });
    const target = `S3 at ${s3?.endpoint ?? `s3://${bucket}`}`;
    return new RetryingStore(store, target, { ...DEFAULT_STORE_RETRY, ...retry.policy }, retry.onRetry);
  }
  return new LocalStore(url.startsWith('file://') ? fileURLToPath(url) : url);
}
