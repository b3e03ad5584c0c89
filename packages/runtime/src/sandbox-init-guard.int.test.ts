import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { watch } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { jobIds } from '@bidfcl/contracts';
import { createTestRuntime, type TestRuntime } from './testing/index.js';
import { runtimeEnvToVars } from './env.js';
import { subscribeRunEvents } from './run-events.js';
import { startRoleWorkers } from './worker-factory.js';

const processorPath = fileURLToPath(new URL('../test-fixtures/slow-init-processor.mjs', import.meta.url));
const workerHostPath = fileURLToPath(new URL('../test-fixtures/worker-host.mjs', import.meta.url));

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

describe("a sandboxed child's start going wrong (issue 13, fault suite case a)", () => {
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

  test('a child killed while it loads its processor fails that attempt and the retry runs the job', async () => {
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

  test('a child that cannot be started fails each attempt with the reason; the worker process lives on', async () => {
    const runId = 'unstartable';
    const host = spawn(process.execPath, [workerHostPath], {
      env: { ...process.env, ...runtimeEnvToVars(rt.env), BIDFCL_TEST_CHILD_EXEC_PATH: '/nonexistent/node' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    host.stderr!.on('data', (d) => (stderr += d));
    // Without the guard the host dies of the fork's unhandled 'error' event: fail at once, saying so.
    const died = once(host, 'exit').then(([code, signal]) => {
      throw new Error(`the worker process exited (code ${code}, signal ${signal}):\n${stderr}`);
    });
    // Two failed attempts: the second comes after the first's backoff, long after anything the first left behind
    // (BullMQ's wait for the child's answer, rejected on its 'close') could have ended the host.
    const retries: string[] = [];
    let twice!: () => void;
    const retriedTwice = new Promise<void>((r) => (twice = r));
    const unsubscribe = await subscribeRunEvents(rt.ctx.redis, rt.env.prefix, runId, (e) => {
      if (e.type === 'stage' && e.status === 'retrying' && retries.push(e.error ?? '') === 2) twice();
    });
    try {
      await rt.ctx.queues.enqueue('train.method.v1', { runId, method: 'tsm-rct' }, jobIds.train(runId, 'tsm-rct'));
      await Promise.race([retriedTwice, died]);
      for (const error of retries)
        expect(error).toMatch(/could not be started or reached: spawn \/nonexistent\/node ENOENT/);
      expect({ code: host.exitCode, signal: host.signalCode }).toEqual({ code: null, signal: null });
    } finally {
      await unsubscribe();
      died.catch(() => undefined);
      if (host.exitCode === null && host.signalCode === null) host.kill('SIGKILL');
    }
  }, 90_000);
});
