import { fileURLToPath } from 'node:url';
import { type ArtefactStore, type S3Credentials } from './artefact-store.js';
import { LocalStore } from './local-store.js';
import { S3Store } from './s3-store.js';

/** Splits `s3://bucket/some/key` into bucket and the rest; throws when the bucket is missing. */
export function parseS3Url(url: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url);
  if (!m || !m[1]) throw new Error(`invalid S3 URL '${url}': expected s3://bucket/key`);
  return { bucket: m[1], key: m[2] ?? '' };
}

/**
 * Opens the store a URL names: `s3://bucket/optional/prefix` → {@link S3Store} (endpoint, region and
 * credentials from `s3`; region defaults to us-east-1), anything else (a directory path or `file://` URL)
 * → {@link LocalStore}.
 */
export function createStore(url: string, s3?: S3Credentials): ArtefactStore {
  if (url.startsWith('s3://')) {
    const { bucket, key } = parseS3Url(url);
    return new S3Store({ ...s3, region: s3?.region ?? 'us-east-1', bucket, prefix: key });
  }
  return new LocalStore(url.startsWith('file://') ? fileURLToPath(url) : url);
}
