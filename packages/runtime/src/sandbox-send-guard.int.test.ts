import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { jobIds } from '@bidfcl/contracts';
import { createTestRuntime, type TestRuntime } from './testing/index.js';
import { runtimeEnvToVars } from './env.js';

const workerHostPath = fileURLToPath(new URL('../test-fixtures/worker-host.mjs', import.meta.url));
/** The sandbox processor fixture's result names the child that ran the job: "pid <pid> prefix <prefix>". */
const pidOf = (result: unknown) => Number(/pid (\d+)/.exec((result as { skipped: string }).skipped)?.[1]);

describe('a sandboxed child that died idle in the pool, handed the next job before its death is seen', () => {
  let rt: TestRuntime;
  beforeEach(async () => {
    rt = await createTestRuntime('send');
  });
  afterEach(async () => {
    await rt.cleanup();
  });

  test('fails that attempt and a fresh child runs the retry; the worker process lives on', async () => {
    const first = jobIds.train('idle-kill', 'tsm-rct');
    const second = jobIds.train('idle-kill', 'tsm-ips');
    // Both queued before the worker starts: the second comes with the first's completion (one Redis call), and the
    // host kills the first's child in between (see worker-host.mjs).
    const jobs = [
      await rt.ctx.queues.enqueue('train.method.v1', { runId: 'idle-kill', method: 'tsm-rct' }, first),
      await rt.ctx.queues.enqueue('train.method.v1', { runId: 'idle-kill', method: 'tsm-ips' }, second),
    ];
    const events = await rt.ctx.queues.queueEvents('training');
    const host = spawn(process.execPath, [workerHostPath], {
      env: { ...process.env, ...runtimeEnvToVars(rt.env), BIDFCL_TEST_KILL_IDLE_CHILD_AFTER: first },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    host.stderr!.on('data', (d) => (stderr += d));
    // Without the guard the host dies of an unhandled rejection (write EPIPE): fail at once, saying so.
    const died = once(host, 'exit').then(([code, signal]) => {
      throw new Error(`the worker process exited (code ${code}, signal ${signal}):\n${stderr}`);
    });
    try {
      const [a, b] = await Promise.race([Promise.all(jobs.map((j) => j.waitUntilFinished(events, 60_000))), died]);
      const killed = pidOf(a);
      expect(pidOf(b)).not.toBe(killed);
      const retried = await rt.ctx.queues.queue('training').getJob(second);
      // The attempt handed to the dead child failed as a crash, the retry succeeded.
      expect(retried?.attemptsMade).toBe(2);
      expect(retried?.stacktrace?.[0]).toMatch(/Unexpected exit code: null signal: SIGKILL/);
      expect(stderr).toMatch(new RegExp(`could not reach sandboxed child ${killed}: (write EPIPE|Channel closed)`));
      expect({ code: host.exitCode, signal: host.signalCode }).toEqual({ code: null, signal: null });
    } finally {
      died.catch(() => undefined);
      if (host.exitCode === null && host.signalCode === null) host.kill('SIGKILL');
    }
  }, 90_000);
});
