import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTestRuntime, deletePrefix, type TestRuntime } from '@bidfcl/runtime/testing';
import type { BenchJson } from './bench-summary.js';
import { runCli } from './test-support/processes.js';

/** `bidfcl bench` end to end through the queues, and `bidfcl bench-merge` on what it wrote. */
describe('bidfcl bench and bench-merge', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime('bench');
  });
  afterAll(async () => {
    // bench queues under `<prefix>-bench`, beside the runtime's own prefix.
    if (rt) await deletePrefix(rt.env.redisUrl, `${rt.env.prefix}-bench`);
    await rt?.cleanup();
  });

  const small = [
    ...[
      '--scenario',
      'marketing-8',
      '--set',
      'features=8',
      '--set',
      'sizes.rct=1500',
      '--set',
      'sizes.val=800',
      '--set',
      'sizes.obs=3000',
      '--set',
      'sizes.test=1500',
    ],
    ...['--budgets', '0.5,1', '--config-set', 'training.epochs=2', '--config-set', 'training.hidden=[16,8]'],
  ];
  const readBench = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as BenchJson;

  test('bench writes the documented JSON; bench-merge joins seeds and methods, refuses other data', async () => {
    const a = path.join(rt.storeDir, 'a.json');
    const b = path.join(rt.storeDir, 'b.json');
    const merged = path.join(rt.storeDir, 'merged.json');

    const ra = await runCli(
      ['bench', ...small, '--methods', 'tsm-rct,tsm-both,oracle', '--seeds', '2', '--json', a],
      rt.env,
    );
    expect(ra.stderr + ra.stdout).toMatch(/wrote .*a\.json/);
    expect(ra.code).toBe(0);
    // Each seed's run prints one line per ended stage, the evaluate stage last.
    for (const seed of [1, 2]) {
      const lines = ra.stdout.split('\n').filter((l) => l.startsWith(`[seed ${seed}/2] ✓ `));
      for (const stage of ['features.finalize', 'train.tsm-rct', 'train.tsm-both', 'allocate.oracle', 'evaluate']) {
        expect(
          lines.filter((l) => l.startsWith(`[seed ${seed}/2] ✓ ${stage} (`)),
          `seed ${seed} ${stage}`,
        ).toHaveLength(1);
      }
      expect(lines.at(-1), `seed ${seed}`).toMatch(/ ✓ evaluate \(/);
    }
    // Not a terminal: an epoch gets a progress line of its own, never after its stage's ✓. Progress travels on
    // another Redis connection than the ✓ and a late one is dropped, so which epochs print depends on timing (a
    // 2-epoch training of a few thousand rows ends within milliseconds); at least one of the eight does.
    const out = ra.stdout.split('\n');
    let epochLines = 0;
    for (const seed of [1, 2])
      for (const stage of ['train.tsm-rct', 'train.tsm-both']) {
        const done = out.findIndex((l) => l.startsWith(`[seed ${seed}/2] ✓ ${stage} (`));
        out.forEach((l, i) => {
          if (!l.startsWith(`[seed ${seed}/2] ${stage}: epoch `)) return;
          epochLines++;
          expect(l).toMatch(/: epoch [12]\/2$/);
          expect(i, l).toBeLessThan(done);
        });
      }
    expect(epochLines).toBeGreaterThan(0);
    const ja = await readBench(a);
    expect(ja.seeds).toEqual([0, 1]);
    expect(ja.budgets).toEqual([0.5, 1]);
    expect(ja.runs.map((r) => r.metrics.methods.map((m) => m.method).sort())).toEqual([
      ['oracle', 'tsm-both', 'tsm-rct'],
      ['oracle', 'tsm-both', 'tsm-rct'],
    ]);
    for (const k of ['trueValueNormalised', 'oracleCapture', 'eomNormalised', 'trainSeconds'] as const) {
      expect(ja.summary['tsm-both']![k]).toEqual({ mean: expect.any(Number), std: expect.any(Number), n: 2 });
    }
    expect(ja.summary['tsm-rct']!.trueValueNormalised).toEqual({ mean: 1, std: 0, n: 2 });
    expect(ja.summary.oracle!.oracleCapture!.mean).toBeCloseTo(1, 9);
    // Each seed's summary value is the mean over budgets of that run's numbers.
    const perSeed = ja.runs.map(
      (r) => r.metrics.methods.find((m) => m.method === 'tsm-both')!.mean.trueValueNormalised!,
    );
    expect(ja.summary['tsm-both']!.trueValueNormalised!.mean).toBeCloseTo((perSeed[0]! + perSeed[1]!) / 2, 12);

    // Seed 1 again, with another method: tsm-rct must come out the same (the merge checks it).
    // With --delete-runs: that run and its own copy of the simulated data leave the store; the first bench's
    // runs and data (seed 1's included, though this bench simulated seed 1 too) stay.
    const rb = await runCli(
      [
        'bench',
        ...small,
        '--methods',
        'tsm-rct,dfcl-ppl',
        '--seeds',
        '1',
        '--seed-start',
        '1',
        '--json',
        b,
        '--delete-runs',
      ],
      rt.env,
    );
    expect(rb.code).toBe(0);
    const jb = await readBench(b);
    expect(rb.stdout).toMatch(
      new RegExp(`deleted run ${jb.runs[0]!.runId} \\(\\d+ artefacts\\) and its simulated data \\(\\d+\\)`),
    );
    expect(await readdir(path.join(rt.storeDir, 'runs'))).toEqual(ja.runs.map((r) => r.runId).sort());
    expect(await readdir(path.join(rt.storeDir, 'datasets/bench-marketing-8'))).toEqual(['seed-0', 'seed-1']);
    const rm = await runCli(['bench-merge', a, b, '--json', merged], rt.env);
    expect(rm.stderr).toBe('');
    expect(rm.code).toBe(0);
    expect(rm.stdout).toMatch(/2 seeds \[0, 1\] from 2 files/);
    const jm = await readBench(merged);
    expect(jm.seeds).toEqual([0, 1]);
    expect(jm.methods).toEqual(['tsm-rct', 'tsm-both', 'oracle', 'dfcl-ppl']);
    expect(jm.summary['dfcl-ppl']!.trueValueNormalised!.n).toBe(1);
    expect(jm.summary['tsm-both']).toEqual(ja.summary['tsm-both']);
    expect(jm.mergedFrom!.map((f) => f.source)).toEqual([a, b]);

    // Other data (a different scenario) is refused with the field that differs, and nothing is written.
    const other = path.join(rt.storeDir, 'other.json');
    await writeFile(other, JSON.stringify({ ...ja, scenario: { ...(ja.scenario as object), featCorr: 0.5 } }));
    const bad = path.join(rt.storeDir, 'bad.json');
    const rc = await runCli(['bench-merge', a, other, '--json', bad], rt.env);
    expect(rc.code).toBe(2);
    expect(rc.stderr).toMatch(/other\.json: the scenario differs from .*a\.json's \(field 'featCorr'\)/);
    await expect(readFile(bad)).rejects.toThrow(/ENOENT/);
  }, 300_000);

  test('--budgets-per-user: runs spend money per user, the JSON says so, bench-merge keeps it apart', async () => {
    const money = path.join(rt.storeDir, 'money.json');
    const scenarioOnly = small.slice(0, small.indexOf('--budgets'));
    const both = await runCli(['bench', ...small, '--budgets-per-user', '0.5'], rt.env);
    expect(both.stderr).toMatch(/give --budgets \(.*\) or --budgets-per-user \(money per user\), not both/);
    expect(both.code).toBe(2);

    const r = await runCli(
      [
        'bench',
        ...scenarioOnly,
        '--budgets-per-user',
        '0.4,0.75',
        '--methods',
        'oracle,random',
        '--seeds',
        '1',
        '--json',
        money,
      ],
      rt.env,
    );
    expect(r.code).toBe(0);
    const j = await readBench(money);
    expect(j.budgetsPerUser).toEqual([0.4, 0.75]);
    expect(j.budgets).toBeUndefined();
    expect(j.config.evaluation).toMatchObject({ budgetsPerUser: [0.4, 0.75] });
    const { randomCost, methods } = j.runs[0]!.metrics;
    for (const m of methods) {
      expect(m.budgets.map((b) => b.budget)).toEqual([0.4, 0.75]);
      expect(m.budgets.map((b) => b.fraction)).toEqual([0.4 / randomCost, 0.75 / randomCost]);
    }

    // The same numbers as fractions are other budgets: refused, naming both.
    const asFractions = path.join(rt.storeDir, 'as-fractions.json');
    const { budgetsPerUser: _m, ...rest } = j;
    await writeFile(asFractions, JSON.stringify({ ...rest, budgets: [0.4, 0.75] }));
    const rm = await runCli(['bench-merge', money, asFractions], rt.env);
    expect(rm.code).toBe(2);
    expect(rm.stderr).toMatch(
      /as-fractions\.json: the budgets \(fractions of the random assignment's cost 0\.4, 0\.75\) differ from .*money\.json's \(money per user 0\.4, 0\.75\)/,
    );
  }, 300_000);
});
