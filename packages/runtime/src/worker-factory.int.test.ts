import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Job } from 'bullmq';
import { jobIds, runConfigSchema, type RunConfig } from '@bidfcl/contracts';
import { createTestRuntime, type TestRuntime } from './testing/index.js';
import { runtimeEnvToVars } from './env.js';
import { startRoleWorkers } from './worker-factory.js';
import { createRunRecord, readRunRecord } from './run-store.js';
import { subscribeRunEvents, type RunEvent } from './run-events.js';
import { waitForRun } from './wait.js';
import { PermanentJobError } from './errors.js';

const sandboxPath = fileURLToPath(new URL('../test-fixtures/sandbox-processor.mjs', import.meta.url));
const workerHostPath = fileURLToPath(new URL('../test-fixtures/worker-host.mjs', import.meta.url));

/** Alive and not a zombie (an orphan's exit is reaped by whatever PID 1 is, maybe never). */
async function isRunning(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function config(runId: string): RunConfig {
  return runConfigSchema.parse({
    runId,
    dataset: {
      name: 'toy',
      splits: { rct: ['/nowhere/rct.csv'] },
      columns: { arm: 't', revenue: 'y', cost: 'c', features: ['x'] },
      arms: [{ name: 'a' }, { name: 'b' }],
    },
  });
}

describe('worker factory against a real Redis', () => {
  let rt: TestRuntime;
  beforeEach(async () => {
    rt = await createTestRuntime('wf');
  });
  afterEach(async () => {
    await rt.cleanup();
  });

  test('a payload that fails the catalog schema never reaches Redis', async () => {
    await expect(
      rt.ctx.queues.enqueue('train.method.v1', { runId: 'r1', method: 'not-a-method' } as never, 'r1.train.x'),
    ).rejects.toThrow(/invalid payload for train.method.v1[\s\S]*method/);
    expect(await rt.ctx.queues.queue('training').count()).toBe(0);
  });

  test('enqueueing the same job id twice is a no-op', async () => {
    const id = jobIds.train('r1', 'tsm-rct');
    await rt.ctx.queues.enqueue('train.method.v1', { runId: 'r1', method: 'tsm-rct' }, id);
    await rt.ctx.queues.enqueue('train.method.v1', { runId: 'r1', method: 'tsm-rct' }, id);
    expect(await rt.ctx.queues.queue('training').getWaitingCount()).toBe(1);
  });

  test('a permanent error fails the job at once, records the stage and fails the run with the reason', async () => {
    const runId = 'run-permanent';
    await createRunRecord(rt.ctx, config(runId));
    let calls = 0;
    const workers = startRoleWorkers(rt.ctx, 'observational-trainer', {
      handlers: {
        'train.method.v1': async () => {
          calls++;
          throw new PermanentJobError('column x has a NaN at row 3');
        },
      },
    });
    try {
      const events: RunEvent[] = [];
      const done = waitForRun(rt.ctx, runId, (e) => events.push(e));
      await rt.ctx.queues.enqueue('train.method.v1', { runId, method: 'tsm-rct' }, jobIds.train(runId, 'tsm-rct'));
      const record = await done;
      expect(record.status).toBe('failed');
      expect(record.error).toEqual({ stage: 'train.tsm-rct', message: 'column x has a NaN at row 3' });
      expect(record.stages['train.tsm-rct']?.status).toBe('failed');
      expect(calls).toBe(1);
      const job = await Job.fromId(rt.ctx.queues.queue('training'), jobIds.train(runId, 'tsm-rct'));
      expect(job?.attemptsMade).toBe(1);
      expect(events.some((e) => e.type === 'stage' && e.status === 'failed')).toBe(true);
    } finally {
      await workers.close();
    }
  });

  test('a transient error is retried, then the stage succeeds with timings and artefacts', async () => {
    const runId = 'run-transient';
    await createRunRecord(rt.ctx, config(runId));
    let calls = 0;
    const workers = startRoleWorkers(rt.ctx, 'observational-trainer', {
      handlers: {
        'train.method.v1': async ({ method }) => {
          calls++;
          if (calls === 1) throw new Error('ECONNRESET while reading');
          return { method, trainSeconds: 1, summaryKey: `runs/${runId}/models/${method}/training.json` };
        },
      },
    });
    try {
      const q = rt.ctx.queues.queue('training');
      const events = await rt.ctx.queues.queueEvents('training');
      const job = await rt.ctx.queues.enqueue(
        'train.method.v1',
        { runId, method: 'tsm-rct' },
        jobIds.train(runId, 'tsm-rct'),
      );
      await job.waitUntilFinished(events, 30_000);
      expect(calls).toBe(2);
      // The stage record is written inside the processor, before the job completes.
      const record = await readRunRecord(rt.ctx, runId);
      const stage = record.stages['train.tsm-rct'];
      expect(stage?.status).toBe('succeeded');
      expect(stage?.seconds).toBeGreaterThanOrEqual(0);
      expect(stage?.artefacts).toEqual([`runs/${runId}/models/tsm-rct/training.json`]);
      expect((await Job.fromId(q, job.id!))?.attemptsMade).toBe(2);
    } finally {
      await workers.close();
    }
  });

  test(
    "a job's stage record is final before the job completes: " + 'a flow parent finds its children succeeded',
    async () => {
      // The evaluate parent starts the moment its last child completes, so a stage record must be written inside
      // the processor, before completion. Four children make the parent start right after the last one, every time.
      const runId = 'run-flow-order';
      await createRunRecord(rt.ctx, config(runId));
      const methods = ['tsm-rct', 'tsm-obs', 'tsm-both', 'tsm-ips'] as const;
      const seen: Record<string, string | undefined> = {};
      const trainers = startRoleWorkers(rt.ctx, 'observational-trainer', {
        concurrency: 4,
        handlers: {
          'train.method.v1': async ({ method }) => ({
            method,
            trainSeconds: 0,
            summaryKey: `runs/${runId}/models/${method}/training.json`,
          }),
        },
      });
      const evaluator = startRoleWorkers(rt.ctx, 'evaluator', {
        handlers: {
          'evaluate.run.v1': async () => {
            const record = await readRunRecord(rt.ctx, runId);
            for (const m of methods) seen[m] = record.stages[`train.${m}`]?.status;
            return { metricsKey: `runs/${runId}/report/metrics.json`, reportKey: `runs/${runId}/report/report.html` };
          },
        },
      });
      try {
        const done = waitForRun(rt.ctx, runId);
        await rt.ctx.queues.addFlow({
          name: 'evaluate.run.v1',
          jobId: jobIds.evaluate(runId),
          payload: { runId },
          children: methods.map((method) => ({
            name: 'train.method.v1' as const,
            jobId: jobIds.train(runId, method),
            payload: { runId, method },
          })),
        });
        const record = await done;
        expect(seen).toEqual(Object.fromEntries(methods.map((m) => [m, 'succeeded'])));
        expect(record.status).toBe('succeeded');
        for (const s of Object.values(record.stages)) expect(s.status).toBe('succeeded');
      } finally {
        await Promise.all([trainers.close(), evaluator.close()]);
      }
    },
  );

  test(
    "sandboxed processors run in a child process with the parent's runtime environment " + 'and report progress',
    async () => {
      const runId = 'run-sandbox';
      await createRunRecord(rt.ctx, config(runId));
      const workers = startRoleWorkers(rt.ctx, 'observational-trainer', {
        handlers: {},
        sandboxed: { training: sandboxPath },
      });
      let gotProgress!: (e: RunEvent) => void;
      const firstProgress = new Promise<RunEvent>((r) => (gotProgress = r));
      const unsubscribe = await subscribeRunEvents(
        rt.ctx.redis,
        rt.env.prefix,
        runId,
        (e) => e.type === 'progress' && gotProgress(e),
      );
      try {
        const events = await rt.ctx.queues.queueEvents('training');
        const ok = await rt.ctx.queues.enqueue(
          'train.method.v1',
          { runId, method: 'tsm-rct' },
          jobIds.train(runId, 'tsm-rct'),
        );
        const result = (await ok.waitUntilFinished(events, 60_000)) as { skipped: string };
        const [, pid, , prefix] = result.skipped.split(' ');
        expect(Number(pid)).not.toBe(process.pid);
        expect(prefix).toBe(rt.env.prefix);

        const bad = await rt.ctx.queues.enqueue(
          'train.method.v1',
          { runId, method: 'tsm-obs' },
          jobIds.train(runId, 'tsm-obs'),
        );
        await expect(bad.waitUntilFinished(events, 60_000)).rejects.toThrow(/no data for tsm-obs/);
        expect((await Job.fromId(rt.ctx.queues.queue('training'), bad.id!))?.attemptsMade).toBe(1);
        const p = await firstProgress;
        expect(p).toMatchObject({ type: 'progress', stage: 'train.tsm-rct', progress: { epoch: 1, epochs: 1 } });
      } finally {
        await unsubscribe();
        await workers.close();
      }
    },
  );

  test('a sandboxed child whose worker process is SIGKILLed exits instead of running on as an orphan', async () => {
    const runId = 'run-orphan';
    await createRunRecord(rt.ctx, config(runId));
    const host = spawn(process.execPath, [workerHostPath], {
      env: { ...process.env, ...runtimeEnvToVars(rt.env) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let childPid: number | undefined;
    let gotPid!: (pid: number) => void;
    const pidSeen = new Promise<number>((r) => (gotPid = r));
    const unsubscribe = await subscribeRunEvents(rt.ctx.redis, rt.env.prefix, runId, (e) => {
      const pid = e.type === 'progress' ? (e.progress as { pid?: number }).pid : undefined;
      if (pid) gotPid(pid);
    });
    try {
      const [line] = (await once(host.stdout!, 'data')) as [Buffer];
      expect(line.toString()).toMatch(/ready/);
      // tsm-both never ends in the fixture processor: the child is mid-job when its parent dies.
      await rt.ctx.queues.enqueue('train.method.v1', { runId, method: 'tsm-both' }, jobIds.train(runId, 'tsm-both'));
      childPid = await pidSeen;
      expect(childPid).not.toBe(host.pid);
      expect(await isRunning(childPid)).toBe(true);
      const exited = once(host, 'exit');
      host.kill('SIGKILL');
      await exited;
      const deadline = Date.now() + 15_000;
      while ((await isRunning(childPid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await isRunning(childPid)).toBe(false);
    } finally {
      await unsubscribe();
      if (host.exitCode === null && host.signalCode === null) host.kill('SIGKILL');
      if (childPid && (await isRunning(childPid))) process.kill(childPid, 'SIGKILL');
    }
  });
});
