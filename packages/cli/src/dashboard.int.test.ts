import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { runConfigSchema } from '@bidfcl/contracts';
import { startS3rver } from '@bidfcl/io/testing';
import { startRun, waitForRun } from '@bidfcl/runtime';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startRole } from './cluster.js';
import { startDashboard, type RunningDashboard } from './dashboard/server.js';
import { csvDataset, csvRows } from './test-support/fixtures.js';
import { promoteTinyModel } from './test-support/population.js';
import { runCli, startCliProcess } from './test-support/processes.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = fileURLToPath(new URL('../../../.bidfcl/test-output/dashboard/', import.meta.url));

/** A run whose feature stage fails at once: a NaN in x2 of its RCT part (the reason names the file and column). */
function badRunConfig(runId: string) {
  return runConfigSchema.parse({
    runId,
    dataset: csvDataset({ rct: ['store:inputs/bad-nan.csv'], test: ['store:inputs/good.csv'] }),
    methods: ['random'],
  });
}

// The dashboard in a real headless chromium over a real Redis and s3rver: a finished run (trained, promoted,
// reported), a population allocation, and a run whose feature job failed with a reason.
describe('bidfcl dashboard in a browser', () => {
  let s3: Awaited<ReturnType<typeof startS3rver>>;
  let rt: TestRuntime;
  let dashboard: RunningDashboard;
  let browser: BrowserContext;
  let page: Page;
  let userDataDir: string;
  const shots: string[] = [];
  const shot = async (name: string) => {
    const file = path.join(SHOTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    shots.push(file);
  };

  beforeAll(async () => {
    s3 = await startS3rver({ bucket: 'dash' });
    rt = await createTestRuntime('dash', {
      storeUrl: `s3://${s3.bucket}/bidfcl`,
      s3: { region: 'us-east-1', endpoint: s3.endpoint, ...s3.credentials },
    });
    await promoteTinyModel(rt.ctx, 'coupons', {}, 'dash-run');
    const allocator = startRole(rt.ctx, 'allocator', 1);
    try {
      const args = ['--model', 'coupons', '--users', 'store:datasets/tiny/v1/test/', '--budget', '500'];
      const r = await runCli(['allocate', ...args, '--id', 'dash-alloc', '--wait'], rt.env);
      expect(r.code, r.stderr).toBe(0);
    } finally {
      await allocator.close();
    }
    const good = csvRows(200, 3);
    const lines = csvRows(40, 7).trimEnd().split('\n');
    lines.splice(3, 0, 'u-x,1,NaN,a,0,1,0');
    await rt.ctx.store.put('inputs/good.csv', good);
    await rt.ctx.store.put('inputs/bad-nan.csv', lines.join('\n') + '\n');
    const features = startRole(rt.ctx, 'feature-builder');
    try {
      await startRun(rt.ctx, badRunConfig('bad-run'));
      expect((await waitForRun(rt.ctx, 'bad-run')).status).toBe('failed');
    } finally {
      await features.close();
    }
    dashboard = await startDashboard(rt.ctx, { host: '127.0.0.1', port: 0 });
    await mkdir(SHOTS, { recursive: true });
    userDataDir = await mkdtemp(path.join(tmpdir(), 'bidfcl-chromium-'));
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
  }, 240_000);

  afterAll(async () => {
    if (shots.length) console.log(`dashboard screenshots:\n${shots.map((s) => `  ${s}`).join('\n')}`);
    await browser?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    await dashboard?.close();
    await rt?.cleanup();
    await s3?.stop();
  });

  test('runs list → the finished run (stages, metrics) → its report', async () => {
    await page.goto(`${dashboard.url}/`);
    const runs = page.locator('#runs');
    await expect.poll(() => runs.locator('tr', { hasText: 'dash-run' }).innerText()).toMatch(/succeeded/);
    await expect.poll(() => runs.locator('tr', { hasText: 'bad-run' }).innerText()).toMatch(/failed/);
    expect(await runs.locator('tr', { hasText: 'dash-run' }).innerText()).toMatch(/train\.tsm-rct \d+\.\d s/);
    await shot('runs');

    await page.getByRole('link', { name: 'dash-run', exact: true }).click();
    await page.waitForURL('**/runs/dash-run');
    expect(await page.locator('h1').innerText()).toBe('run dash-run');
    const stages = await page.locator('#stages').innerText();
    for (const stage of ['features.finalize', 'train.tsm-rct', 'allocate.tsm-rct', 'evaluate'])
      expect(stages).toContain(stage);
    expect(await page.locator('#metrics').innerText()).toMatch(/tsm-rct\s+50%\s+\d/);
    await shot('run');

    await page.getByRole('link', { name: 'report', exact: true }).click();
    await page.waitForURL('**/runs/dash-run/report');
    expect(await page.title()).toBe('bidfcl run dash-run');
    await expect.poll(() => page.locator('svg').count()).toBeGreaterThan(0);
    await shot('report');
  });

  test("the failed run's reason, on its page and on the failed job in Bull Board", async () => {
    await page.goto(`${dashboard.url}/`);
    await page.getByRole('link', { name: 'bad-run', exact: true }).click();
    await page.waitForURL('**/runs/bad-run');
    const runError = page.locator('#run-error');
    expect(await runError.isVisible()).toBe(true);
    expect(await runError.innerText()).toMatch(/bad-nan\.csv.*x2/s);
    // The part job that read the file; its parent (features.finalize) failed too, naming it as its failed child.
    const job = page.locator('details.failed-job', { hasText: 'job bad-run.features.rct.0 ' });
    await job.locator('summary').click();
    const reason = job.locator('pre');
    expect(await reason.isVisible()).toBe(true);
    expect(await reason.innerText()).toMatch(/bad-nan\.csv.*x2/s);
    await shot('failed-run');

    await job.getByRole('link', { name: 'this job in Bull Board' }).click();
    await page.waitForURL('**/queues/queue/features/bad-run.features.rct.0');
    await page
      .getByText(/bad-nan\.csv: missing value .* column 'x2'/)
      .first()
      .waitFor({ state: 'visible', timeout: 15_000 });
    await shot('bull-board-failed-job');
  });

  test('models with their versions, allocations with their summaries, Bull Board with every queue', async () => {
    await page.goto(`${dashboard.url}/models`);
    const versions = await page.locator('#model-coupons').innerText();
    expect(versions).toMatch(/current\s+1\s+dash-run\s+tsm-rct/);
    await shot('models');

    await page.goto(`${dashboard.url}/allocations`);
    expect(await page.locator('#allocations').innerText()).toMatch(/dash-alloc\s+coupons@1\s+2000\s+1\s+500/);
    await shot('allocations');
    // The same reader as `bidfcl allocations list` (allocations-read.ts): the CLI sees the same allocation.
    expect((await runCli(['allocations', 'list'], rt.env)).stdout).toMatch(/dash-alloc {2}coupons@1 {2}2000 users/);

    await page.goto(`${dashboard.url}/queues`);
    for (const q of ['runs', 'features', 'training', 'hypergrad', 'allocation', 'evaluation'])
      await page.getByRole('link', { name: q, exact: true }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await shot('bull-board');
  });
});

// The dashboard on a non-loopback address, as `bidfcl dashboard` (its own process) starts it.
describe('bidfcl dashboard exposed', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime('dash-auth');
  });
  afterAll(async () => {
    await rt?.cleanup();
  });
  const noCredentials = { BIDFCL_DASHBOARD_USER: '', BIDFCL_DASHBOARD_PASSWORD: '' };

  test('refuses to start without credentials (exit 2, naming the variables)', async () => {
    const started = startCliProcess(
      ['dashboard', '--host', '0.0.0.0', '--port', '0'],
      rt.env,
      'listening',
      noCredentials,
    );
    await expect(started).rejects.toThrow(
      /exited with 2 before[\s\S]*BIDFCL_DASHBOARD_USER and BIDFCL_DASHBOARD_PASSWORD/,
    );
  });

  test('a port in use is a runtime error (exit 1) with one line saying so', async () => {
    const first = await startCliProcess(['dashboard', '--port', '0'], rt.env, 'listening', noCredentials);
    try {
      const port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(first.output())![1]!;
      const second = await runCli(['dashboard', '--port', port], rt.env);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(
        new RegExp(`bidfcl dashboard: cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`),
      );
      expect(second.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await first.stop();
    }
  });

  test('answers 401 without the right credentials, 200 with them; /healthz needs none', async () => {
    const creds = { BIDFCL_DASHBOARD_USER: 'ops', BIDFCL_DASHBOARD_PASSWORD: 'open sesame' };
    const proc = await startCliProcess(['dashboard', '--host', '0.0.0.0', '--port', '0'], rt.env, 'listening', creds);
    try {
      const port = /listening on http:\/\/[^\s]*:(\d+)/.exec(proc.output())![1];
      const base = `http://127.0.0.1:${port}`;
      const auth = (user: string, password: string) => ({
        authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
      });
      for (const p of ['/', '/runs/x', '/models', '/queues', '/queues/api/queues']) {
        const none = await fetch(`${base}${p}`);
        expect(none.status, p).toBe(401);
        expect(none.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
        expect((await fetch(`${base}${p}`, { headers: auth('ops', 'wrong') })).status, p).toBe(401);
      }
      const ok = await fetch(`${base}/`, { headers: auth('ops', 'open sesame') });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
      expect(await ok.text()).toContain(`no runs in`);
      expect((await fetch(`${base}/queues/api/queues`, { headers: auth('ops', 'open sesame') })).status).toBe(200);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      await proc.stop();
    }
  });
});
