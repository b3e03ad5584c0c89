import { watch } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { jobIds } from '@bidfcl/contracts';
import { createTestRuntime, type TestRuntime } from './testing/index.js';
import { startRoleWorkers } from './worker-factory.js';

const processorPath = fileURLToPath(new URL('../test-fixtures/slow-init-processor.mjs', import.meta.url));

/** Resolves with the file's content once it appears in its directory (an fs event, not a poll). */
function whenWritten(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () =>
      readFile(file, 'utf8').then(
        (text) => {
          watcher.close();
          resolve(text);
        },
        (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : reject(err)),
      );
    const watcher = watch(path.dirname(file), (_, name) => name === path.basename(file) && void check());
    void check();
  });
}

describe('a sandboxed child killed while it loads its processor (issue 13, fault suite case a)', () => {
  let rt: TestRuntime;
  let dir: string;
  beforeEach(async () => {
    rt = await createTestRuntime('sig');
    dir = await mkdtemp(path.join(tmpdir(), 'bidfcl-sandbox-init-'));
  });
  afterEach(async () => {
    delete process.env.BIDFCL_TEST_INIT_PID_FILE;
    await rt.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  test('fails that attempt and the retry runs the job, instead of the job staying active for ever', async () => {
    const pidFile = path.join(dir, 'child.pid');
    process.env.BIDFCL_TEST_INIT_PID_FILE = pidFile; // the fork inherits it
    const workers = startRoleWorkers(rt.ctx, 'observational-trainer', {
      handlers: {},
      sandboxed: { training: processorPath },
    });
    try {
      const events = await rt.ctx.queues.queueEvents('training');
      const job = await rt.ctx.queues.enqueue(
        'train.method.v1',
        { runId: 'init-kill', method: 'tsm-rct' },
        jobIds.train('init-kill', 'tsm-rct'),
      );
      const pid = Number(await whenWritten(pidFile));
      expect(pid).toBeGreaterThan(0);
      process.kill(pid, 'SIGKILL');
      // Without the guard BullMQ waits for the dead child's init for ever and this times out.
      const result = (await job.waitUntilFinished(events, 60_000)) as { skipped: string };
      expect(result.skipped).toBe('loaded');
      const reloaded = await rt.ctx.queues.queue('training').getJob(job.id!);
      // The killed attempt counted (it failed and was retried): two attempts made, the second one succeeded.
      expect({ made: reloaded?.attemptsMade, started: reloaded?.attemptsStarted }).toEqual({ made: 2, started: 2 });
    } finally {
      await workers.close();
    }
  }, 90_000);
});
