import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ROLES, jobIds, runConfigSchema, type JobName, type Role } from '@bidfcl/contracts';
import { createTestRuntime, type TestRuntime } from '../testing/index.js';
import { PermanentJobError } from '../errors.js';
import { jobOptions } from '../queues.js';
import { createRunRecord } from '../run-store.js';
import { startRoleWorkers, type RoleWorkerOptions } from '../worker-factory.js';
import { createLogger } from './logger.js';
import { startMetricsServer, type MetricsServer } from './metrics-server.js';
import { promSample } from './prom-text.js';
import { createWorkerMetrics, registerQueueDepths } from './worker-metrics.js';

const TRAIN: JobName = 'train.method.v1';

function runConfig(runId: string) {
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

describe('a worker with metrics and logs, against a real Redis and over real HTTP', () => {
  let rt: TestRuntime;
  let server: MetricsServer | undefined;
  let close: (() => Promise<void>) | undefined;
  const lines: Record<string, unknown>[] = [];
  const ended: { jobId: string; status: string }[] = [];
  let onEnd = () => {};

  beforeEach(async () => {
    rt = await createTestRuntime('metrics');
    lines.length = 0;
    ended.length = 0;
  });
  afterEach(async () => {
    await close?.();
    await server?.close();
    await rt.cleanup();
  });

  /** Starts `role` as `bidfcl worker --metrics-port 0` does: its metrics on an ephemeral port, JSON logs. */
  async function startObserved(role: Role, handlers: RoleWorkerOptions['handlers']) {
    const metrics = createWorkerMetrics(role);
    registerQueueDepths(metrics, rt.ctx.queues, ROLES[role]);
    const stream = new PassThrough();
    let buffered = '';
    stream.on('data', (c: Buffer) => {
      buffered += c.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const p of parts) lines.push(JSON.parse(p) as Record<string, unknown>);
    });
    const log = createLogger(`worker:${role}`, { stream, level: 'info', pretty: false });
    server = await startMetricsServer({
      registry: metrics.registry,
      port: 0,
      host: '127.0.0.1',
      notReadyReasons: () => [],
    });
    const workers = startRoleWorkers(rt.ctx, role, {
      handlers,
      metrics,
      log,
      onJobEnd: (e) => {
        ended.push(e);
        onEnd();
      },
    });
    close = () => workers.close();
  }

  /** Resolves once `n` jobs have ended on the worker (its own events: the metrics are updated before them). */
  const untilEnded = (n: number) =>
    new Promise<void>((resolve) => {
      onEnd = () => ended.length >= n && resolve();
      onEnd();
    });

  const scrape = async () => {
    const res = await fetch(`${server!.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    return res.text();
  };

  test('completed, retried and failed jobs move the counters, the duration histogram, the epoch gauges', async () => {
    const runId = 'run-metrics';
    await createRunRecord(rt.ctx, runConfig(runId));
    let tsmCalls = 0;
    await startObserved('observational-trainer', {
      [TRAIN]: async ({ method }: { method: string }, ctx: { progress(p: object): Promise<void> }) => {
        await ctx.progress({ method, pid: process.pid, epoch: 3, epochs: 5, lowerLoss: 0.75, valLoss: 0.5 });
        if (method === 'dfcl-dpl') throw new PermanentJobError('column x has a NaN at row 3');
        if (tsmCalls++ === 0) throw new Error('ECONNRESET while reading');
        return { method, trainSeconds: 1, summaryKey: `runs/${runId}/models/${method}/training.json` };
      },
    } as RoleWorkerOptions['handlers']);
    const before = await scrape();
    expect(promSample(before, 'bidfcl_jobs_completed_total')).toBeUndefined();
    expect(promSample(before, 'bidfcl_queue_jobs', { queue: 'training', state: 'failed' })).toBe(0);

    const q = rt.ctx.queues.queue('training');
    // The catalog's 5 s backoff would make the test slow: the retry comes 50 ms after the failure instead.
    const fast = { backoff: { type: 'fixed', delay: 50 } };
    for (const method of ['tsm-rct', 'dfcl-dpl'] as const)
      await q.add(TRAIN, { runId, method }, { ...jobOptions(TRAIN, jobIds.train(runId, method)), ...fast });
    await untilEnded(3); // tsm-rct: failed, then completed; dfcl-dpl: failed for good

    const text = await scrape();
    const job = { job_name: TRAIN, role: 'observational-trainer' };
    expect(promSample(text, 'bidfcl_jobs_completed_total', job)).toBe(1);
    expect(promSample(text, 'bidfcl_jobs_retried_total', job)).toBe(1);
    expect(promSample(text, 'bidfcl_jobs_failed_total', job)).toBe(1);
    expect(promSample(text, 'bidfcl_job_duration_seconds_count', { ...job, status: 'completed' })).toBe(1);
    expect(promSample(text, 'bidfcl_job_duration_seconds_count', { ...job, status: 'failed' })).toBe(2);
    expect(promSample(text, 'bidfcl_training_epoch', { method: 'tsm-rct' })).toBe(3);
    expect(promSample(text, 'bidfcl_training_loss', { method: 'tsm-rct', kind: 'lower' })).toBe(0.75);
    expect(promSample(text, 'bidfcl_training_loss', { method: 'tsm-rct', kind: 'val' })).toBe(0.5);
    expect(promSample(text, 'bidfcl_queue_jobs', { queue: 'training', state: 'failed' })).toBe(1);
    expect(promSample(text, 'bidfcl_queue_jobs', { queue: 'training', state: 'waiting' })).toBe(0);

    // Every start, end and failure is a JSON line with the run, the job, its attempt and (at the end) its duration.
    const tsm = lines.filter((l) => l.jobId === jobIds.train(runId, 'tsm-rct'));
    expect(tsm.map((l) => [l.msg, l.attempt])).toEqual([
      ['job started', 1],
      ['job failed', 1],
      ['job started', 2],
      ['job completed', 2],
    ]);
    for (const l of tsm)
      expect(l).toMatchObject({ runId, job: TRAIN, queue: 'training', service: 'worker:observational-trainer' });
    const done = tsm.at(-1)!;
    expect(done.durationMs).toEqual(expect.any(Number));
    expect(tsm[1]).toMatchObject({ final: false, error: 'ECONNRESET while reading', level: 40 });
    const permanent = lines.find((l) => l.jobId === jobIds.train(runId, 'dfcl-dpl') && l.msg === 'job failed');
    expect(permanent).toMatchObject({ final: true, level: 50, error: expect.stringMatching(/NaN at row 3/) });
  });

  test('a hypergradient answered moves the latency histogram; /healthz and /readyz answer', async () => {
    await startObserved('hypergradient', {
      'hypergrad.step.v1': async () => ({ gradKey: 'g', cgIterations: 2, negativeCurvatureStops: 0, upperLoss: 0.1 }),
    });
    const payload = {
      runId: 'r1',
      method: 'bidfcl-ppl' as const,
      step: 0,
      thetaKey: 't',
      phiKey: 'p',
      obsBatchSeed: 1,
      rctBatchSeed: 2,
    };
    await rt.ctx.queues.enqueue('hypergrad.step.v1', payload, 'r1.hypergrad.0');
    await untilEnded(1);
    const text = await scrape();
    expect(promSample(text, 'bidfcl_hypergradient_latency_seconds_count')).toBe(1);
    expect(promSample(text, 'nodejs_eventloop_lag_seconds', { role: 'hypergradient' })).toEqual(expect.any(Number));
    expect(promSample(text, 'bidfcl_jobs_completed_total', { job_name: 'hypergrad.step.v1' })).toBe(1);
    // Counted, but its start and end lines are debug: a Bi-DFCL run has thousands of them.
    expect(lines.filter((l) => l.jobId === 'r1.hypergrad.0')).toEqual([]);
    expect((await fetch(`${server!.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server!.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, reasons: [] });
    expect((await fetch(`${server!.url}/nope`)).status).toBe(404);
  });
});
