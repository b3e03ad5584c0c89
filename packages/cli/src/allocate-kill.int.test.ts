import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PopulationSummary } from '@bidfcl/contracts';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startRole } from './cluster.js';
import { jobMessages, runCli, startWorkerProcess } from './test-support/processes.js';
import { promoteTinyModel, scoredTestUsers } from './test-support/population.js';

const USERS = 'store:datasets/tiny/v1/test/';

// Issue 9 §2: a killed allocator worker mid-flow changes nothing in the result. The worker processes hold their
// job locks for 2 s (--lock-seconds), so the surviving worker takes the killed worker's job up again in seconds.
describe('bidfcl allocate survives a killed allocator worker', () => {
  let rt: TestRuntime;
  let budget: number;
  const allocate = async (id: string) => {
    const args = ['--model', 'coupons', '--users', USERS, '--budget', String(budget), '--shards', '8'];
    const r = await runCli(['allocate', ...args, '--id', id, '--wait', '--json'], rt.env);
    expect(r.stderr).not.toMatch(/bidfcl allocate/);
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as PopulationSummary;
  };

  beforeAll(async () => {
    rt = await createTestRuntime('allocate-kill');
    // Every worker on the queue gets a short lock: BullMQ's stalled check runs at most once per interval per
    // queue, across workers, so one worker with the default 30 s interval would delay the recovery that long.
    await promoteTinyModel(rt.ctx, 'coupons', { lockDurationMs: 2000 });
    budget = (await scoredTestUsers(rt.ctx, 'coupons')).budget;
  }, 120_000);
  afterAll(async () => {
    await rt?.cleanup();
  });

  test('kill -9 of the worker running a scan job: the job is run again, the sha256 is unchanged', async () => {
    const inProcess = startRole(rt.ctx, 'allocator', 1, { lockDurationMs: 2000 });
    const reference = await allocate('undisturbed').finally(() => inProcess.close());

    const first = await startWorkerProcess('allocator', rt.env, ['--lock-seconds', '2']);
    const events = await rt.ctx.queues.queueEvents('allocation');
    const killed = new Promise<string>((resolve) => {
      const onActive = ({ jobId }: { jobId: string }) => {
        if (!jobId.startsWith('alloc.killed.scan.')) return;
        events.off('active', onActive);
        first.child.kill('SIGKILL');
        resolve(jobId);
      };
      events.on('active', onActive);
    });
    const result = allocate('killed');
    const jobId = await killed;
    await new Promise<void>((resolve) => first.child.once('exit', () => resolve()));
    const second = await startWorkerProcess('allocator', rt.env, ['--lock-seconds', '2']);
    try {
      const summary = await result;
      // The interrupted job was finished by the second worker, not by the first before it died.
      expect(jobMessages(first.output(), jobId)).not.toContain('job completed');
      expect(jobMessages(second.output(), jobId)).toContain('job completed');
      expect(summary.sha256).toBe(reference.sha256);
      expect(summary.lambda).toBe(reference.lambda);
      expect(summary.predictedSpend).toBe(reference.predictedSpend);
      expect(summary.users).toBe(reference.users);
    } finally {
      await second.stop();
    }
  }, 120_000);
});
