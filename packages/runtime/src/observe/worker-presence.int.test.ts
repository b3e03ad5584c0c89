import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Redis } from 'ioredis';
import { createRedis } from '../connection.js';
import { Queues } from '../queues.js';
import { createTestRuntime, type TestRuntime } from '../testing/index.js';
import { startRoleWorkers } from '../worker-factory.js';
import { liveWorkers } from './worker-presence.js';

describe('live workers as Redis lists them', () => {
  let rt: TestRuntime;
  beforeEach(async () => {
    rt = await createTestRuntime('presence');
  });
  afterEach(async () => {
    await rt.cleanup();
  });

  test("a role's worker process counts once however many queues it consumes, named role@host/pid", async () => {
    const before = await liveWorkers(rt.ctx.queues);
    expect(before).toMatchObject({ known: true, byRole: { 'feature-builder': [] } });
    const workers = startRoleWorkers(rt.ctx, 'feature-builder', { handlers: {} });
    try {
      await Promise.all(workers.workers.map((w) => w.waitUntilReady()));
      const live = await liveWorkers(rt.ctx.queues);
      if (!live.known) throw new Error(live.reason);
      expect(live.byRole['feature-builder']).toEqual([
        expect.stringMatching(new RegExp(`^feature-builder@.+/${process.pid}$`)),
      ]);
      expect(live.byRole.allocator).toEqual([]);
    } finally {
      await workers.close();
    }
  });

  test('a Redis user not allowed CLIENT LIST: workers are unknown, with the reason, not zero', async () => {
    const admin = createRedis(rt.env.redisUrl, 'producer');
    const user = `bidfcl-test-noclient-${randomBytes(4).toString('hex')}`;
    const password = randomBytes(8).toString('hex');
    // What managed Redis services do: every command but CLIENT (an ACL user of this test's own, deleted after).
    await admin.call('ACL', 'SETUSER', user, 'on', `>${password}`, '~*', '&*', '+@all', '-client');
    const url = new URL(rt.env.redisUrl ?? 'redis://127.0.0.1:6379');
    url.username = user;
    url.password = password;
    const restricted = new Redis(url.toString(), { maxRetriesPerRequest: 1 });
    const queues = new Queues(restricted, rt.env.prefix);
    try {
      const live = await liveWorkers(queues);
      expect(live).toEqual({ known: false, reason: expect.stringMatching(/NOPERM|no permissions/i) });
    } finally {
      await queues.close();
      restricted.disconnect();
      await admin.call('ACL', 'DELUSER', user);
      admin.disconnect();
    }
  });
});
