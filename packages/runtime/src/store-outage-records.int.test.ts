import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { jobIds, runConfigSchema } from '@bidfcl/contracts';
import { startS3rver, type S3rverHandle } from '@bidfcl/io/testing';
import { PermanentJobError } from './errors.js';
import { jobScope } from './job-scope.js';
import { readRunNotice, subscribeRunEvents, type RunEvent } from './run-events.js';
import { createRunRecord, readRunRecord } from './run-store.js';
import { createTestRuntime, type TestRuntime } from './testing/index.js';
import { startRoleWorkers } from './worker-factory.js';

// Issue 13, item 2: what a run says, and what it records, while the S3 server is away.
let s3: S3rverHandle;
beforeAll(async () => {
  s3 = await startS3rver({ bucket: 'outage-records' });
});
afterAll(async () => {
  await s3?.stop();
});

/** The outage, ended once whoever ends it first (the test's event or the cleanup). */
const outage = {
  down: false,
  async start() {
    this.down = true;
    await s3.pause();
  },
  async end() {
    if (!this.down) return;
    this.down = false;
    await s3.resume();
  },
};

const config = (runId: string) =>
  runConfigSchema.parse({
    runId,
    dataset: {
      name: 'toy',
      splits: { rct: ['/nowhere/rct.csv'] },
      columns: { arm: 't', revenue: 'y', cost: 'c', features: ['x'] },
      arms: [{ name: 'a' }, { name: 'b' }],
    },
  });

/** Resolves `reached` once `count` 'waiting' events of the run have arrived, `ended` at its 'run' event. */
function watchRun(rt: TestRuntime, runId: string, count: number) {
  const seen: RunEvent[] = [];
  let done!: () => void;
  let end!: () => void;
  const reached = new Promise<void>((r) => (done = r));
  const ended = new Promise<void>((r) => (end = r));
  const subscribed = subscribeRunEvents(rt.ctx.redis, rt.env.prefix, runId, (e) => {
    if (e.type === 'run') end();
    if (e.type !== 'waiting') return;
    seen.push(e);
    if (seen.length === count) done();
  });
  return { seen, reached, ended, subscribed };
}

describe('a run while S3 is down', () => {
  let rt: TestRuntime;
  beforeEach(async () => {
    // One round of the store's retry policy lasts about 2 s (pauses of 0.2 s), so that a test can outlast it.
    rt = await createTestRuntime('s3out', {
      storeUrl: `s3://${s3.bucket}/`,
      s3: { endpoint: s3.endpoint, region: 'us-east-1', ...s3.credentials },
      storeRetry: { maxSeconds: 2, maxDelaySeconds: 0.2 },
    });
  });
  afterEach(async () => {
    await outage.end();
    await rt.cleanup();
  });

  test("`bidfcl status`'s notice names the stage and the retry while a job waits for S3", async () => {
    const runId = 'notice-run';
    const watch = watchRun(rt, runId, 1);
    const unsubscribe = await watch.subscribed;
    try {
      await outage.start();
      const write = jobScope.run({ runId, stage: 'train.tsm-rct' }, () => rt.ctx.store.putJson('x.json', { a: 1 }));
      write.catch(() => undefined);
      await watch.reached;
      const notice = await readRunNotice(rt.env.redisUrl, rt.env.prefix, runId);
      expect(notice).toMatch(
        new RegExp(`^train\\.tsm-rct: waiting for S3 at ${s3.endpoint.replace(/\./g, '\\.')}, retry 1 in 0\\.2 s`),
      );
      await outage.end();
      await write.catch(() => undefined);
    } finally {
      await unsubscribe();
    }
  });

  test('a final failure is recorded even when S3 stays away longer than one round of the retry policy', async () => {
    const runId = 'fails-in-outage';
    await createRunRecord(rt.ctx, config(runId));
    // Fifteen retries are more than one round of the policy (about eight): a record given one round would be lost,
    // and the run would stay 'running' for ever (the defect).
    const watch = watchRun(rt, runId, 15);
    const unsubscribe = await watch.subscribed;
    const workers = startRoleWorkers(rt.ctx, 'observational-trainer', {
      handlers: {
        'train.method.v1': async () => {
          await outage.start(); // the store goes away as the job fails
          throw new PermanentJobError('no rows in the RCT split');
        },
      },
    });
    try {
      void watch.reached.then(() => outage.end());
      await rt.ctx.queues.enqueue('train.method.v1', { runId, method: 'tsm-rct' }, jobIds.train(runId, 'tsm-rct'));
      await watch.ended; // published once run.json holds the final status
      const record = await readRunRecord(rt.ctx, runId);
      expect(watch.seen.length).toBeGreaterThanOrEqual(15);
      expect(record.status).toBe('failed');
      expect(record.error).toMatchObject({ stage: 'train.tsm-rct' });
      expect(record.error?.message).toMatch(/no rows in the RCT split/);
      expect(record.stages['train.tsm-rct']?.status).toBe('failed');
    } finally {
      await unsubscribe();
      await workers.close();
    }
  }, 60_000);
});
