import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotFoundError, StoreError, isTransientStoreError, type ArtefactStore } from '../store/artefact-store.js';
import { parseS3Url } from '../store/create-store.js';
import { S3Store } from '../store/s3-store.js';
import { detectFormat, type TableFormat } from '../table/detect-format.js';
import { allowedLocalPath, checkInputSize, localSize, type SourceAccess } from './source-access.js';

/** A dataset input read into memory, with the format its name implies and a description for messages. */
export interface SourceBytes {
  bytes: Uint8Array;
  /** From the extension (.parquet/.pq, .csv); undefined when the name says nothing (the dataset's `format` decides). */
  format: TableFormat | undefined;
  /** Where it came from (a file path, s3:// URL or store location), for error messages. */
  what: string;
}

/**
 * Reads one dataset source URI: `store:<key>` from `store`, `s3://bucket/key` from S3 (endpoint and
 * credentials from `access.s3`), otherwise a local file (absolute, or relative to the process's working
 * directory) under `access.localRoots`. Missing inputs throw {@link NotFoundError}; inputs the access policy
 * refuses (outside the roots, above `access.maxBytes`) throw InputRefusedError before anything is read.
 */
export async function readSource(uri: string, store: ArtefactStore, access?: SourceAccess): Promise<SourceBytes> {
  if (uri.startsWith('store:')) {
    const key = uri.slice('store:'.length);
    const bytes = await store.get(key);
    checkInputSize(store.describe(key), bytes.byteLength, access);
    return { bytes, format: detectFormat(key), what: store.describe(key) };
  }
  if (uri.startsWith('s3://')) {
    const { bucket, key } = parseS3Url(uri);
    const s3 = access?.s3;
    const s3store = new S3Store({ ...s3, region: s3?.region ?? 'us-east-1', bucket });
    try {
      if (access?.maxBytes !== undefined) checkInputSize(uri, await s3store.size(key), access);
      return { bytes: await s3store.get(key), format: detectFormat(key), what: uri };
    } finally {
      s3store.destroy();
    }
  }
  const file = await allowedLocalPath(uri.startsWith('file://') ? fileURLToPath(uri) : path.resolve(uri), access);
  checkInputSize(file, await localSize(file), access);
  try {
    return { bytes: await readFile(file), format: detectFormat(file), what: file };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') throw new NotFoundError(uri, file);
    throw new StoreError(`reading ${file} failed: ${(err as Error).message}`, isTransientStoreError(err), {
      cause: err,
    });
  }
}
