import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { buildApp } from './app.js';
import { createMetrics } from './metrics.js';

describe("the service's log lines", () => {
  test("carry the workers' base fields (service, pid, ISO time) and stay JSON off a terminal", async () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
    // /healthz touches no dependency but the metrics hook: the rest is not needed to log a request.
    const deps = { metrics: createMetrics() } as unknown as Parameters<typeof buildApp>[0];
    const app = buildApp(deps, { bodyLimit: 1024, logLevel: 'info', logRequests: true, logStream: stream });
    try {
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      expect(l).toMatchObject({ service: 'serve', pid: process.pid });
      expect(new Date(l.time as string).toISOString()).toBe(l.time);
    }
    expect(lines.some((l) => l.msg === 'request completed')).toBe(true);
  });
});
