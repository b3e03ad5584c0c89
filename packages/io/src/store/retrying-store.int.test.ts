import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3rver, type S3rverHandle } from '../testing/s3rver.js';
import { createStore } from './create-store.js';
import { describeStoreRetry, retryDelayMs, type StoreRetryNotice } from './retrying-store.js';

let server: S3rverHandle;
beforeAll(async () => {
  server = await startS3rver({ bucket: 'io-retry-test' });
});
afterAll(async () => {
  await server?.stop();
});

const open = (onRetry: (n: StoreRetryNotice) => void, maxElapsedMs = 60_000) =>
  createStore(
    `s3://${server.bucket}/retry`,
    { endpoint: server.endpoint, ...server.credentials },
    { policy: { initialDelayMs: 100, maxDelayMs: 400, maxElapsedMs }, onRetry },
  );

describe('a store behind RetryingStore (issue 13, item 2: S3 outages)', () => {
  it('waits out an outage of the S3 server: the write and the read succeed once it is back', async () => {
    const notices: StoreRetryNotice[] = [];
    let resumed: Promise<void> | undefined;
    const store = open((n) => {
      notices.push(n);
      // The server comes back after the third failed attempt: an event, not a timer.
      if (n.retry === 3) resumed ??= server.resume();
    });
    await server.pause();
    await store.putJson('during-outage.json', { ok: 1 });
    await resumed;
    expect(await store.getJson('during-outage.json')).toEqual({ ok: 1 });
    expect(notices.length).toBeGreaterThanOrEqual(3);
    expect(notices[0]).toMatchObject({ target: `S3 at ${server.endpoint}`, op: 'writing', retry: 1, delayMs: 100 });
    expect(describeStoreRetry(notices[2]!)).toMatch(
      new RegExp(`^waiting for S3 at ${server.endpoint.replace(/\./g, '\\.')}, retry 3 in 0\\.4 s \\(writing`),
    );
    (store as unknown as { destroy(): void }).destroy();
  });

  it('gives up once its time is spent, with the store error; permanent faults are not retried', async () => {
    const notices: StoreRetryNotice[] = [];
    const store = open((n) => notices.push(n), 1000);
    await server.pause();
    try {
      await expect(store.get('x.json')).rejects.toThrow(/reading s3:\/\/io-retry-test\/retry\/x\.json failed/);
      expect(notices.length).toBeGreaterThan(0);
    } finally {
      await server.resume();
    }
    notices.length = 0;
    await expect(store.get('missing.json')).rejects.toThrow(/not found/);
    expect(notices).toEqual([]);
    (store as unknown as { destroy(): void }).destroy();
  });

  it('pauses exponentially, capped', () => {
    const policy = { initialDelayMs: 1000, maxDelayMs: 30_000, maxElapsedMs: 600_000 };
    expect([1, 2, 3, 4, 5, 6, 7].map((r) => retryDelayMs(policy, r))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000,
    ]);
  });
});
