import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import {
  DEFAULT_S3_TIMEOUT_SECONDS,
  isTransientStoreError,
  NotFoundError,
  StoreError,
  type RangeReader,
  type S3Credentials,
} from './artefact-store.js';
import { assertDirPrefix, assertValidKey, assertValidPrefix, compareKeys } from './store-key.js';
import { StoreBase } from './store-base.js';

/** Objects above this size go through lib-storage's multipart Upload (S3 caps single PUTs at 5 GB). */
export const MULTIPART_THRESHOLD = 8 * 1024 * 1024;

export interface S3StoreOptions extends S3Credentials {
  region: string;
  bucket: string;
  /** Key prefix inside the bucket ('' = bucket root); a trailing '/' is added when missing. */
  prefix?: string;
}

function s3Status(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function isMissing(err: unknown): boolean {
  const name = (err as { name?: string })?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || (s3Status(err) === 404 && name !== 'NoSuchBucket');
}

/**
 * An artefact store in an S3 bucket (AWS, MinIO, s3rver). Path-style addressing and checksums only
 * when required keep it compatible with every S3 implementation; bodies are sent as Buffers because
 * some servers store aws-chunked stream framing verbatim.
 */
export class S3Store extends StoreBase {
  readonly bucket: string;
  readonly prefix: string;
  readonly client: S3Client;

  constructor(opts: S3StoreOptions) {
    super();
    if (!opts.bucket) throw new Error('S3Store needs a bucket');
    this.bucket = opts.bucket;
    const p = (opts.prefix ?? '').replace(/^\/+/, '');
    this.prefix = p === '' || p.endsWith('/') ? p : p + '/';
    if (this.prefix) assertValidPrefix(this.prefix);
    const timeoutMs = (opts.timeoutSeconds ?? DEFAULT_S3_TIMEOUT_SECONDS) * 1000;
    const config: S3ClientConfig = {
      region: opts.region,
      forcePathStyle: opts.forcePathStyle ?? true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // Inactivity, not total duration: a large multipart upload that keeps moving is never cut.
      requestHandler: {
        connectionTimeout: timeoutMs,
        socketTimeout: timeoutMs,
      },
    };
    if (opts.endpoint) config.endpoint = opts.endpoint;
    if (opts.accessKeyId && opts.secretAccessKey)
      config.credentials = { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey };
    this.client = new S3Client(config);
  }

  describe(key?: string): string {
    return `s3://${this.bucket}/${this.prefix}${key ?? ''}`;
  }

  /** Releases the client's sockets; the store is unusable afterwards. */
  destroy(): void {
    this.client.destroy();
  }

  private fail(err: unknown, op: string, key?: string): Error {
    if (err instanceof NotFoundError || err instanceof StoreError) return err;
    const e = err as { name?: string; message?: string };
    const status = s3Status(err);
    return new StoreError(
      `${op} ${this.describe(key)} failed: ${e.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ` +
        `${e.message ?? String(err)}`,
      isTransientStoreError(err),
      { cause: err },
    );
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    assertValidKey(key);
    const buf =
      typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const params = { Bucket: this.bucket, Key: this.prefix + key, Body: buf };
    try {
      if (buf.byteLength > MULTIPART_THRESHOLD) {
        await new Upload({ client: this.client, params, partSize: MULTIPART_THRESHOLD, queueSize: 4 }).done();
      } else {
        await this.client.send(new PutObjectCommand({ ...params, ContentLength: buf.byteLength }));
      }
    } catch (err) {
      throw this.fail(err, 'writing', key);
    }
  }

  async get(key: string): Promise<Uint8Array> {
    assertValidKey(key);
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      if (!res.Body) return new Uint8Array(0);
      return await res.Body.transformToByteArray();
    } catch (err) {
      if (isMissing(err)) throw new NotFoundError(key, this.describe(key));
      throw this.fail(err, 'reading', key);
    }
  }

  /** The object's size in bytes (a HEAD request); throws NotFoundError when it does not exist. */
  async size(key: string): Promise<number | undefined> {
    assertValidKey(key);
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      return res.ContentLength;
    } catch (err) {
      if (isMissing(err)) throw new NotFoundError(key, this.describe(key));
      throw this.fail(err, 'checking', key);
    }
  }

  /** A HEAD for the size, then one ranged GET per read (a Parquet reader fetches footer and row groups only). */
  async openRange(key: string): Promise<RangeReader> {
    assertValidKey(key);
    const Key = this.prefix + key;
    let size: number;
    try {
      size = (await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }))).ContentLength ?? 0;
    } catch (err) {
      if (isMissing(err)) throw new NotFoundError(key, this.describe(key));
      throw this.fail(err, 'reading', key);
    }
    return {
      size,
      read: async (start, end) => {
        const last = Math.min(end, size) - 1;
        if (last < start) return new Uint8Array(0);
        try {
          const res = await this.client.send(
            new GetObjectCommand({ Bucket: this.bucket, Key, Range: `bytes=${start}-${last}` }),
          );
          return res.Body ? await res.Body.transformToByteArray() : new Uint8Array(0);
        } catch (err) {
          throw this.fail(err, 'reading', key);
        }
      },
      close: async () => undefined,
    };
  }

  async exists(key: string): Promise<boolean> {
    assertValidKey(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      return true;
    } catch (err) {
      if (isMissing(err)) return false;
      throw this.fail(err, 'checking', key);
    }
  }

  /** Runs a ListObjectsV2 request under `prefix` through all its pages. */
  private async eachListPage(
    prefix: string,
    delimiter: string | undefined,
    onPage: (page: ListObjectsV2CommandOutput) => void,
  ): Promise<void> {
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.prefix + prefix,
            ...(delimiter ? { Delimiter: delimiter } : {}),
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
        onPage(page);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (err) {
      throw this.fail(err, 'listing', prefix);
    }
  }

  async list(prefix: string): Promise<string[]> {
    assertValidPrefix(prefix);
    const out: string[] = [];
    await this.eachListPage(prefix, undefined, (page) => {
      for (const o of page.Contents ?? []) if (o.Key !== undefined) out.push(o.Key.slice(this.prefix.length));
    });
    return out.sort(compareKeys);
  }

  async listDirs(prefix: string): Promise<string[]> {
    assertDirPrefix(prefix);
    const out: string[] = [];
    await this.eachListPage(prefix, '/', (page) => {
      for (const p of page.CommonPrefixes ?? [])
        if (p.Prefix !== undefined) out.push(p.Prefix.slice(this.prefix.length + prefix.length, -1));
    });
    return out.sort(compareKeys);
  }

  async deletePrefix(prefix: string): Promise<number> {
    const keys = await this.list(prefix);
    // DeleteObjects takes at most 1000 keys per request.
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      try {
        const res = await this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: batch.map((k) => ({ Key: this.prefix + k })), Quiet: true },
          }),
        );
        const first = res.Errors?.[0];
        if (first)
          throw new StoreError(
            `deleting ${this.describe(first.Key?.slice(this.prefix.length))} failed: ${first.Code}: ${first.Message}`,
            first.Code === 'SlowDown' || first.Code === 'InternalError',
          );
      } catch (err) {
        throw this.fail(err, 'deleting under', prefix);
      }
    }
    return keys.length;
  }
}
