import net from 'node:net';
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

  it('a server that accepts and never answers: each request times out and is retried, never hangs', async () => {
    // A hung S3 endpoint (a load balancer with no live backend, a stuck proxy): it reads the request, says nothing.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
      s.resume();
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    const notices: StoreRetryNotice[] = [];
    const store = createStore(
      's3://hung-bucket/x',
      { endpoint, ...server.credentials, timeoutSeconds: 0.5 },
      { policy: { initialDelayMs: 50, maxDelayMs: 50, maxElapsedMs: 4000 }, onRetry: (n) => notices.push(n) },
    );
    try {
      const started = Date.now();
      await expect(store.get('a.json')).rejects.toThrow(/reading s3:\/\/hung-bucket\/x\/a\.json failed.*timed out/s);
      // Each attempt ended by the 0.5 s inactivity timeout, as a transient error: at least one retry was made,
      // and the whole read gave up after the policy's 4 s plus one attempt, not after the SDK's default.
      expect(notices.length).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(sockets.size).toBeGreaterThan(1);
    } finally {
      (store as unknown as { destroy(): void }).destroy();
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it('pauses exponentially, capped', () => {
    const policy = { initialDelayMs: 1000, maxDelayMs: 30_000, maxElapsedMs: 600_000 };
    expect([1, 2, 3, 4, 5, 6, 7].map((r) => retryDelayMs(policy, r))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000,
    ]);
  });
});
