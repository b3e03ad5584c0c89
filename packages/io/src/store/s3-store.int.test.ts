import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3rver, type S3rverHandle } from '../testing/s3rver.js';
import { isTransientStoreError, StoreError } from './artefact-store.js';
import { createStore } from './create-store.js';
import { RetryingStore } from './retrying-store.js';
import { MULTIPART_THRESHOLD, S3Store } from './s3-store.js';
import { describeStoreContract } from './store-suite.js';

let server: S3rverHandle;
beforeAll(async () => {
  server = await startS3rver({ bucket: 'io-store-test' });
});
afterAll(async () => {
  await server?.stop();
});

describeStoreContract('S3Store (s3rver)', async () => {
  const store = new S3Store({
    endpoint: server.endpoint,
    region: 'us-east-1',
    bucket: server.bucket,
    prefix: 'contract',
    ...server.credentials,
  });
  return { store, cleanup: async () => store.destroy() };
});

describe('S3Store specifics', () => {
  it('createStore maps s3://bucket/prefix to an S3Store under that prefix', async () => {
    const a = createStore(`s3://${server.bucket}/tenant/a`, { endpoint: server.endpoint, ...server.credentials });
    const b = createStore(`s3://${server.bucket}`, { endpoint: server.endpoint, ...server.credentials });
    expect(a).toBeInstanceOf(RetryingStore);
    expect((a as RetryingStore).inner).toBeInstanceOf(S3Store);
    expect(a.describe('k.json')).toBe(`s3://${server.bucket}/tenant/a/k.json`);
    await a.putJson('k.json', { ok: true });
    expect(await b.getJson('tenant/a/k.json')).toEqual({ ok: true });
    expect(await a.list('')).toEqual(['k.json']);
    (a as RetryingStore).destroy();
    (b as RetryingStore).destroy();
  });

  it('sends objects above 8 MB as multipart uploads and smaller ones as single PUTs', async () => {
    const store = new S3Store({
      endpoint: server.endpoint,
      region: 'us-east-1',
      bucket: server.bucket,
      prefix: 'mp',
      ...server.credentials,
    });
    // Record which S3 operations the client sends (an observer on the real client, not a stub).
    const sent: string[] = [];
    store.client.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize' },
    );
    const big = randomBytes(MULTIPART_THRESHOLD + 1);
    await store.put('big.bin', big);
    expect(sent).toEqual([
      'CreateMultipartUploadCommand',
      'UploadPartCommand',
      'UploadPartCommand',
      'CompleteMultipartUploadCommand',
    ]);
    sent.length = 0;
    await store.put('small.bin', big.subarray(0, MULTIPART_THRESHOLD));
    expect(sent).toEqual(['PutObjectCommand']);
    expect(Buffer.from(await store.get('big.bin')).equals(big)).toBe(true);
    store.destroy();
  });

  it('classifies an unreachable endpoint as transient and a missing bucket as permanent', async () => {
    const dead = new S3Store({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      bucket: 'b',
      accessKeyId: 'x',
      secretAccessKey: 'y',
    });
    const err = await dead.get('k').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toContain('s3://b/k');
    expect(isTransientStoreError(err)).toBe(true);
    dead.destroy();

    const noBucket = new S3Store({
      endpoint: server.endpoint,
      region: 'us-east-1',
      bucket: 'no-such-bucket',
      ...server.credentials,
    });
    const err2 = await noBucket.get('k').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err2).toBeInstanceOf(StoreError);
    expect((err2 as Error).message).toMatch(/NoSuchBucket/);
    expect(isTransientStoreError(err2)).toBe(false);
    noBucket.destroy();
  });
});
