import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { jobIds, runConfigSchema } from '@bidfcl/contracts';
import { createRunRecord, jobOptions, promSample, runtimeEnvToVars } from '@bidfcl/runtime';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { BIN, runCli, startWorkerProcess, stopProcess } from './test-support/processes.js';
import { watchUnservedRoles } from './unserved-watch.js';

const NO_FEATURE_BUILDER = 'waiting: no feature-builder worker is running (start one: bidfcl worker feature-builder)';

const dataset = {
  name: 'toy',
  splits: { rct: ['/nowhere/rct.csv'] },
  columns: { arm: 'arm', revenue: 'revenue', cost: 'cost', features: ['x1'] },
  arms: [{ name: 'control', zeroCost: true }, { name: 'coupon' }],
};

describe('who serves the queues: status, run --wait and a worker with metrics, against a real Redis', () => {
  let rt: TestRuntime;
  beforeEach(async () => {
    rt = await createTestRuntime('presence');
  });
  afterEach(async () => {
    await rt.cleanup();
  });

  /** A queued run whose first job waits in the features queue, held back for 10 min so no worker takes it. */
  async function queuedRun(runId: string) {
    await createRunRecord(rt.ctx, runConfigSchema.parse({ runId, dataset }));
    const name = 'features.finalize.v1';
    await rt.ctx.queues
      .queue('features')
      .add(name, { runId }, { ...jobOptions(name, jobIds.featuresFinalize(runId)), delay: 600_000 });
  }

  test('run --wait with no worker says which worker to start, and so does status', async () => {
    await writeFile(path.join(rt.storeDir, 'rct.csv'), 'arm,revenue,cost,x1\n0,1,0,0.5\n1,2,1,0.25\n');
    const config = path.join(rt.storeDir, 'run.yaml');
    await writeFile(
      config,
      `runId: r1\ndataset:\n  name: toy\n  splits: { rct: [./rct.csv] }\n` +
        '  columns: { arm: arm, revenue: revenue, cost: cost, features: [x1] }\n' +
        '  arms: [{ name: control, zeroCost: true }, { name: coupon }]\n',
    );
    const child = spawn(process.execPath, [BIN, 'run', '--config', config, '--wait'], {
      env: { ...process.env, ...runtimeEnvToVars(rt.env) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes(NO_FEATURE_BUILDER)) resolve();
        });
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.once('exit', (code) => reject(new Error(`run --wait exited with ${code}:\n${out}`)));
      });
      expect(out).toMatch(/^enqueued run r1/);
    } finally {
      await stopProcess(child, 2000);
    }

    const one = await runCli(['status', 'r1'], rt.env);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain(NO_FEATURE_BUILDER);
    const all = await runCli(['status'], rt.env);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^features\s+feature-builder\s+[1-9]\d*\s+0\s+0\s+0$/m);
    expect(all.stdout).toMatch(/^feature-builder\s+0\s*$/m);
    expect(all.stdout).toContain(NO_FEATURE_BUILDER);
  }, 60_000);

  test('the warning is said once per role however often the run is looked at', async () => {
    await queuedRun('r2');
    const said: string[] = [];
    let looks = 0;
    await new Promise<void>((resolve) => {
      const stop = watchUnservedRoles(
        rt.ctx,
        'r2',
        (l) => said.push(l),
        10,
        () => {
          if (++looks < 4) return;
          stop();
          resolve();
        },
      );
    });
    expect(said).toEqual([NO_FEATURE_BUILDER]);
  });

  test('with a worker: status lists it and says nothing is unserved; its /metrics and probes answer', async () => {
    await queuedRun('r3');
    const worker = await startWorkerProcess('feature-builder', rt.env, ['--metrics-port', '0']);
    let stopped = false;
    try {
      const startLine = JSON.parse(worker.output().split('\n')[0]!) as { msg: string; metrics: string };
      expect(startLine.msg).toMatch(/^feature-builder worker: queues features, runs/);
      const metricsUrl = startLine.metrics;
      expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const text = await (await fetch(metricsUrl)).text();
      expect(promSample(text, 'bidfcl_queue_jobs', { queue: 'features', state: 'delayed' })).toBe(1);
      expect(promSample(text, 'bidfcl_queue_jobs', { queue: 'runs', state: 'waiting' })).toBe(0);
      const base = metricsUrl.replace(/\/metrics$/, '');
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);

      const one = await runCli(['status', 'r3'], rt.env);
      expect(one.stdout).not.toContain('waiting: no');
      const all = await runCli(['status'], rt.env);
      expect(all.stdout).toMatch(
        new RegExp(`^feature-builder\\s+1\\s+feature-builder@\\S+/${worker.child.pid}\\s*$`, 'm'),
      );
      expect(all.stdout).not.toContain('waiting: no');

      await worker.stop();
      stopped = true;
      expect(worker.child.exitCode).toBe(0);
      expect(worker.output()).toContain('"msg":"feature-builder worker stopped"');
      // Gone from Redis with its process: the run waits on nobody again.
      expect((await runCli(['status', 'r3'], rt.env)).stdout).toContain(NO_FEATURE_BUILDER);
    } finally {
      if (!stopped) await worker.stop();
    }
  }, 60_000);

  test('status with Redis away still lists the runs and says why queues and workers are unknown', async () => {
    await createRunRecord(rt.ctx, runConfigSchema.parse({ runId: 'r4', dataset }));
    const r = await runCli(['status'], { ...rt.env, redisUrl: 'redis://127.0.0.1:1' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^r4\s+queued/m);
    expect(r.stdout).toMatch(/^queues and workers: unknown \(no Redis answers at redis:\/\/127\.0\.0\.1:1/m);
  });

  test('worker --metrics-port: not a port is a usage error (2); a port in use is a runtime error (1)', async () => {
    const bad = await runCli(['worker', 'evaluator', '--metrics-port', 'http'], rt.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--metrics-port must be an integer ≥ 0, got 'http'/);
    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    try {
      const port = String((taken.address() as AddressInfo).port);
      const busy = await runCli(['worker', 'evaluator', '--metrics-port', port, '--metrics-host', '127.0.0.1'], rt.env);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain(`bidfcl worker: --metrics-port ${port}: the port is in use`);
    } finally {
      taken.close();
    }
  }, 30_000);
});
