import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { keys, runConfigSchema } from '@bidfcl/contracts';
import { createRunRecord, recordStage } from '@bidfcl/runtime';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { runCli } from './test-support/processes.js';

const GOOD_DATASET = `
  name: toy
  splits: { rct: [./rct.csv] }
  columns: { arm: arm, revenue: revenue, cost: cost, features: [x1] }
  arms: [{ name: control, zeroCost: true }, { name: coupon }]`;

/** A "billion laughs": ten levels of ten aliases each, 10¹⁰ strings once expanded. */
const ALIAS_BOMB = [
  'l0: &l0 [x, x, x, x, x, x, x, x, x, x]',
  ...Array.from({ length: 9 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(10).fill(`*l${i}`).join(', ')}]`),
  'runId: r1',
].join('\n');

describe('bidfcl run rejects a malformed config before anything is enqueued (exit 2)', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime('cli');
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  const cases: { name: string; yaml: string; message: RegExp }[] = [
    { name: 'bad-yaml', yaml: 'runId: a\nmethods: [tsm-rct\n', message: /bad-yaml\.yaml:\d+:\d+: invalid YAML/ },
    {
      name: 'unknown-key',
      yaml: `runId: r1\ndataset:${GOOD_DATASET}\nmethodz: [tsm-rct]\n`,
      message: /unknown-key\.yaml: invalid run config:\n\(root\): Unrecognized key.*methodz/,
    },
    {
      name: 'out-of-range',
      yaml: `runId: r1\ndataset:${GOOD_DATASET}\ntraining: { epochs: 0 }\n`,
      message: /training\.epochs: Number must be greater than or equal to 1/,
    },
    {
      name: 'nested-unknown',
      yaml: `runId: r1\ndataset:${GOOD_DATASET}\nbidfcl: { kk: 5 }\n`,
      message: /bidfcl: Unrecognized key.*kk/,
    },
    {
      name: 'budgets-both-ways',
      yaml: `runId: r1\ndataset:${GOOD_DATASET}\nevaluation: { budgets: [0.5], budgetsPerUser: [1.2] }\n`,
      message:
        /evaluation\.budgetsPerUser: give budgets \(fractions of .*\) or budgetsPerUser \(money per user.*not both/,
    },
    {
      name: 'budget-per-user-zero',
      yaml: `runId: r1\ndataset:${GOOD_DATASET}\nevaluation: { budgetsPerUser: [1.2, 0] }\n`,
      message: /evaluation\.budgetsPerUser\.1: Number must be greater than 0/,
    },
    {
      name: 'bad-method',
      yaml: `runId: r1\ndataset:${GOOD_DATASET}\nmethods: [tsm-rct, magic]\n`,
      message: /methods\.1: Invalid enum value/,
    },
    {
      name: 'bad-run-id',
      yaml: `runId: "Run/../x"\ndataset:${GOOD_DATASET}\n`,
      message: /runId: run id must be 1-128 characters of \[a-z0-9._-\]/,
    },
    {
      name: 'bad-dataset-name',
      yaml: `runId: r1\ndataset:${GOOD_DATASET.replace('name: toy', 'name: "Toy Data"')}\n`,
      message: /dataset\.name: dataset name must be/,
    },
    {
      name: 'propensities-sum',
      yaml: `runId: r1\ndataset:${GOOD_DATASET}\n  propensities: [0.5, 0.6]\n`,
      message: /dataset\.propensities: must sum to 1 \(they sum to 1\.1\)/,
    },
    {
      name: 'duplicate-arms',
      yaml: `runId: r1\ndataset:${GOOD_DATASET.replace('{ name: coupon }', '{ name: control }')}\n`,
      message: /dataset\.arms\.1\.name: arm name 'control' repeats arms\.0\.name/,
    },
    {
      name: 'revenue-as-feature',
      yaml: `runId: r1\ndataset:${GOOD_DATASET.replace('features: [x1]', 'features: [x1, revenue]')}\n`,
      message: /dataset\.columns\.features\.1: column 'revenue' is already the revenue column/,
    },
    {
      name: 'h-bounds',
      yaml: `runId: r1\ndataset:${GOOD_DATASET}\ndfcl: { hMin: 2, hMax: 1 }\n`,
      message: /dfcl\.hMax: hMax must be at least hMin/,
    },
    { name: 'alias-bomb', yaml: ALIAS_BOMB, message: /alias-bomb\.yaml: cannot be read as YAML: .*alias/i },
  ];

  test.each(cases)('$name', async ({ name, yaml, message }) => {
    const file = path.join(rt.storeDir, `${name}.yaml`);
    await writeFile(file, yaml);
    const { code, stderr } = await runCli(['run', '--config', file], rt.env);
    expect(stderr).toMatch(message);
    expect(code).toBe(2);
    for (const q of ['runs', 'features', 'training', 'allocation', 'evaluation'] as const)
      expect(await rt.ctx.queues.queue(q).count()).toBe(0);
    expect(await rt.ctx.store.list('runs/')).toEqual([]);
  });

  test('a dataset folder without input files is a configuration error: exit 2, nothing written', async () => {
    await mkdir(path.join(rt.storeDir, 'empty-dir'), { recursive: true });
    const file = path.join(rt.storeDir, 'empty-dir.yaml');
    await writeFile(file, `runId: r1\ndataset:${GOOD_DATASET.replace('./rct.csv', './empty-dir/')}\n`);
    const { code, stderr } = await runCli(['run', '--config', file], rt.env);
    expect(stderr).toMatch(/empty-dir\.yaml: dataset 'toy' split 'rct': no \.parquet or \.csv files under .*empty-dir/);
    expect(code).toBe(2);
    expect(await rt.ctx.queues.queue('runs').count()).toBe(0);
    expect(await rt.ctx.queues.queue('features').count()).toBe(0);
    expect(await rt.ctx.store.list('runs/')).toEqual([]);
  });

  test('a scenario file that is not a mapping, or an alias bomb, is refused by simulate (exit 2)', async () => {
    const out = path.join(rt.storeDir, 'sim-out');
    const small = ['--set', 'sizes.rct=50', '--set', 'sizes.val=50', '--set', 'sizes.obs=0', '--set', 'sizes.test=50'];
    const scenarios = [
      { name: 'list-scenario', text: '- name: x\n- sizes: 3\n', message: /must be a mapping .* not a list/ },
      { name: 'text-scenario', text: 'marketing-8\n', message: /must be a mapping .* not a string/ },
      { name: 'bomb-scenario', text: ALIAS_BOMB.replace('runId: r1', 'seed: 1'), message: /cannot be read as YAML/ },
    ];
    for (const { name, text, message } of scenarios) {
      const file = path.join(rt.storeDir, `${name}.yaml`);
      await writeFile(file, text);
      const { code, stderr } = await runCli(['simulate', '--scenario', file, '--out', out, ...small], rt.env);
      expect(stderr).toMatch(new RegExp(`${name}\\.yaml: `));
      expect(stderr).toMatch(message);
      expect(code).toBe(2);
      expect(await readdir(out).catch(() => [])).toEqual([]);
    }
  });

  test('unknown commands and options are usage errors', async () => {
    expect((await runCli(['fly'], rt.env)).code).toBe(2);
    expect((await runCli(['run', '--confg', 'x'], rt.env)).code).toBe(2);
    expect((await runCli(['worker', 'painter'], rt.env)).stderr).toMatch(
      /unknown role 'painter'; one of: feature-builder/,
    );
  });
});

describe('bidfcl status and report read the store', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime('cli-status');
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  test("status lists runs and shows one run's stages; report prints where the report is", async () => {
    const config = runConfigSchema.parse({
      runId: 'st-1',
      dataset: {
        name: 'toy',
        splits: { rct: ['/x/rct.csv'] },
        columns: { arm: 'arm', revenue: 'revenue', cost: 'cost', features: ['x1'] },
        arms: [{ name: 'a' }, { name: 'b' }],
      },
    });
    await createRunRecord(rt.ctx, config);
    await recordStage(rt.ctx, 'st-1', {
      stage: 'features.rct.0',
      status: 'failed',
      error: 'rct.csv: NaN in x1 at row 3',
      finishedAt: new Date().toISOString(),
      artefacts: [],
    });

    const list = await runCli(['status'], rt.env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/st-1\s+failed/);
    const one = await runCli(['status', 'st-1'], rt.env);
    expect(one.stdout).toMatch(/run st-1: failed/);
    expect(one.stdout).toMatch(/error at features\.rct\.0: rct\.csv: NaN in x1 at row 3/);
    const json = JSON.parse((await runCli(['status', 'st-1', '--json'], rt.env)).stdout);
    expect(json.stages['features.rct.0'].status).toBe('failed');
    expect((await runCli(['status', 'nope'], rt.env)).code).toBe(1);

    const noReport = await runCli(['report', 'st-1'], rt.env);
    expect(noReport.code).toBe(1);
    expect(noReport.stderr).toMatch(/has no report yet/);
    await rt.ctx.store.put(keys.reportHtml('st-1'), '<html></html>');
    const report = await runCli(['report', 'st-1'], rt.env);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain(path.join(rt.storeDir, 'runs/st-1/report/report.html'));
    expect(report.stdout).toContain(path.join(rt.storeDir, 'runs/st-1/report/metrics.json'));
  });

  test('report --open opens the report, and says so with the path (exit 1) where no browser can', async () => {
    await rt.ctx.store.put(keys.reportHtml('op-1'), '<html></html>');
    const file = path.join(rt.storeDir, 'runs/op-1/report/report.html');
    // No desktop: xdg-open falls back to $BROWSER, then to text browsers this machine does not have.
    const headless = { DISPLAY: '', WAYLAND_DISPLAY: '', XDG_CURRENT_DESKTOP: '' };
    const none = await runCli(['report', 'op-1', '--open'], rt.env, undefined, { ...headless, BROWSER: 'false' });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`could not open a browser`);
    expect(none.stderr).toContain(`open ${file} yourself`);

    const dir = await mkdtemp(path.join(os.tmpdir(), 'bidfcl-browser-'));
    const browser = path.join(dir, 'browser.sh');
    await writeFile(browser, `#!/bin/sh\necho "$1" > ${path.join(dir, 'opened.txt')}\n`, { mode: 0o755 });
    const opened = await runCli(['report', 'op-1', '--open'], rt.env, undefined, { ...headless, BROWSER: browser });
    expect(opened.code).toBe(0);
    expect(opened.stdout).toContain(`opened ${file}`);
    expect((await readFile(path.join(dir, 'opened.txt'), 'utf8')).trim()).toBe(file);
  });
});
