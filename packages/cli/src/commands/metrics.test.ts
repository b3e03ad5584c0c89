import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { computeMetric, createRng, eomAtBudget, ipwUniformRandomCost, type MetricOptions } from '@bidfcl/core';
import { writeParquet, type ParquetColumnData } from '@bidfcl/io';
import { tempDir } from '@bidfcl/io/testing';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { CliError } from '../cli-error.js';
import { main } from '../main.js';
import { metricsCommand, metricsHelp } from './metrics.js';
import { rankingScoreMatrix } from './metrics-eom.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir('metrics');
});
afterAll(async () => dir?.cleanup());
afterEach(() => vi.restoreAllMocks());

/** Writes columns as CSV (numbers in full precision) and returns the path. */
async function csv(name: string, cols: Record<string, ArrayLike<number> | string[]>): Promise<string> {
  const names = Object.keys(cols);
  const n = cols[names[0]!]!.length;
  const lines = [names.join(',')];
  for (let i = 0; i < n; i++) lines.push(names.map((c) => String(cols[c]![i])).join(','));
  const file = path.join(dir.path, name);
  await writeFile(file, lines.join('\n') + '\n');
  return file;
}

async function parquet(name: string, cols: Record<string, ParquetColumnData>): Promise<string> {
  const file = path.join(dir.path, name);
  await writeFile(file, writeParquet(cols));
  return file;
}

/** Runs the command with console.log captured; returns the parsed JSON it printed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read many differently shaped outputs
async function runJson(argv: string[]): Promise<any> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  expect(await metricsCommand([...argv, '--json'])).toBe(0);
  expect(log).toHaveBeenCalledTimes(1);
  return JSON.parse(String(log.mock.calls[0]![0]));
}

/** Runs the command with console.log captured; returns the text it printed. */
async function runText(argv: string[]): Promise<string> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  expect(await metricsCommand(argv)).toBe(0);
  return String(log.mock.calls.at(-1)![0]);
}

/** Runs through `main` (as the binary does) and returns the exit status and what went to stderr. */
async function runMain(argv: string[]): Promise<{ code: number; err: string }> {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  const err = vi.spyOn(console, 'error').mockImplementation(() => {});
  const code = await main(['metrics', ...argv]);
  return { code, err: err.mock.calls.map((c) => String(c[0])).join('\n') };
}

/** A seeded two-arm table: uplift depends on x, s1 is informative, s2 noise; cost higher when treated. */
function twoArmTable(n: number, seed: number) {
  const rng = createRng(seed);
  const t = new Float64Array(n);
  const y = new Float64Array(n);
  const cost = new Float64Array(n);
  const s1 = new Float64Array(n);
  const s2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = rng.next();
    t[i] = rng.next() < 0.5 ? 1 : 0;
    y[i] = rng.next() < 0.2 + 0.4 * x * t[i]! ? 1 : 0;
    cost[i] = t[i]! * (0.5 + rng.next()) + 0.1 * rng.next();
    s1[i] = Math.round((x + 0.2 * rng.normal()) * 100) / 100; // rounded: ties exercise the tie rules
    s2[i] = rng.next();
  }
  return { t, y, cost, s1, s2 };
}

describe('two-arm metrics', () => {
  test(
    'the scikit-uplift fixture: uplift [0,0,0], y [0,1,0], t [0,1,1] → ' +
      'qini curve x [0,3], y [0,1]; uplift curve y [0,1.5]',
    async () => {
      const file = await csv('fixture.csv', { t: [0, 1, 1], y: [0, 1, 0], uplift: [0, 0, 0] });
      const base = ['--input', file, '--treatment', 't', '--outcome', 'y', '--score', 'uplift'];
      const qini = await runJson([...base, '--metric', 'qini']);
      expect(qini.scores.uplift.curve).toEqual({ x: [0, 3], y: [0, 1] });
      expect(qini).toMatchObject({
        metric: 'qini',
        convention: 'sklift',
        treatment: { column: 't', control: 0, treated: 1 },
        counts: { used: 3, treated: 2, control: 1, dropped: 0 },
      });
      const auuc = await runJson([...base, '--metric', 'auuc']);
      expect(auuc.scores.uplift.curve).toEqual({ x: [0, 3], y: [0, 1.5] });
      // uplift_auc_score(y=[0,1], uplift=[.1,.3], t=[1,0]) = 0 (scikit-uplift's test).
      const zero = await csv('zero.csv', { t: [1, 0], y: [0, 1], uplift: [0.1, 0.3] });
      expect(
        (
          await runJson([
            '--input',
            zero,
            '--treatment',
            't',
            '--outcome',
            'y',
            '--score',
            'uplift',
            '--metric',
            'auuc',
          ])
        ).scores.uplift.value,
      ).toBe(0);
    },
  );

  test('every metric equals a direct computeMetric call, from CSV and from Parquet alike', async () => {
    const d = twoArmTable(400, 11);
    const files = [await csv('two.csv', d), await parquet('two.parquet', { ...d, t: Int32Array.from(d.t) })];
    const cases: [string[], MetricOptions][] = [
      [['--metric', 'qini'], { metric: 'qini' }],
      [['--metric', 'qini', '--negative-effect', 'false'], { metric: 'qini', negativeEffect: false }],
      [['--metric', 'auuc'], { metric: 'auuc' }],
      [['--metric', 'uplift-at-k', '--k', '0.2'], { metric: 'uplift-at-k', k: 0.2 }],
      [
        ['--metric', 'uplift-at-k', '--k', '50', '--strategy', 'by_group'],
        { metric: 'uplift-at-k', k: 50, strategy: 'by_group' },
      ],
      [['--metric', 'weighted-average-uplift', '--bins', '5'], { metric: 'weighted-average-uplift', bins: 5 }],
      [['--metric', 'aucc', '--cost', 'cost', '--quantiles', '50'], { metric: 'aucc', quantiles: 50 }],
    ];
    for (const file of files)
      for (const [flags, opts] of cases) {
        const out = await runJson([
          '--input',
          file,
          '--treatment',
          't',
          '--outcome',
          'y',
          '--score',
          's1,s2',
          ...flags,
        ]);
        const direct = computeMetric(
          { treatment: d.t, outcome: d.y, cost: d.cost, scores: { s1: d.s1, s2: d.s2 } },
          { ...opts, maxCurvePoints: 201 },
        );
        for (const s of ['s1', 's2']) {
          expect(out.scores[s].value, `${flags.join(' ')} ${s}`).toBe(direct.perScore[s]!.value);
          if (direct.perScore[s]!.curve) expect(out.scores[s].curve).toEqual(direct.perScore[s]!.curve);
        }
        expect(out.warnings).toEqual(direct.warnings);
      }
    // The informative score beats noise on Qini (a sanity check that the columns are not swapped).
    const q = await runJson([
      '--input',
      files[0]!,
      '--treatment',
      't',
      '--outcome',
      'y',
      '--score',
      's1,s2',
      '--metric',
      'qini',
    ]);
    expect(q.scores.s1.value).toBeGreaterThan(q.scores.s2.value);
  });

  test('CausalML convention: values and the random baseline as computeMetric gives them', async () => {
    const d = twoArmTable(300, 5);
    const file = await csv('causalml.csv', d);
    for (const [metric, normalize] of [
      ['qini', true],
      ['auuc', true],
      ['auuc', false],
    ] as const) {
      const out = await runJson([
        '--input',
        file,
        '--treatment',
        't',
        '--outcome',
        'y',
        '--score',
        's1,s2',
        '--metric',
        metric,
        '--convention',
        'causalml',
        '--normalize',
        String(normalize),
      ]);
      const direct = computeMetric(
        { treatment: d.t, outcome: d.y, scores: { s1: d.s1, s2: d.s2 } },
        { metric, convention: 'causalml', normalize, maxCurvePoints: 201 },
      );
      expect(out.convention).toBe('causalml');
      for (const s of ['s1', 's2']) expect(out.scores[s].value).toBe(direct.perScore[s]!.value);
      expect(out.randomBaseline.value).toBe(direct.randomBaseline!.value);
      expect(out.randomBaseline.curve).toEqual(direct.randomBaseline!.curve);
      // CausalML has one point per row: 301 thinned to the default 201.
      expect(out.scores.s1.curve.x).toHaveLength(201);
    }
  });

  test('text arms: --control and --treated name them, other arms are dropped with a warning', async () => {
    const d = twoArmTable(240, 8);
    const names = Array.from(d.t, (v, i) => (i % 5 === 0 ? 'sms' : v === 1 ? 'mail' : 'ctrl'));
    const file = await parquet('text-arms.parquet', { arm: names, y: d.y, s1: d.s1 });
    const out = await runJson([
      '--input',
      file,
      '--treatment',
      'arm',
      '--control',
      'ctrl',
      '--treated',
      'mail',
      '--outcome',
      'y',
      '--score',
      's1',
      '--metric',
      'qini',
    ]);
    const keep = names.map((a, i) => (a === 'sms' ? -1 : i)).filter((i) => i >= 0);
    const direct = computeMetric(
      {
        treatment: keep.map((i) => d.t[i]!),
        outcome: keep.map((i) => d.y[i]!),
        scores: { s1: keep.map((i) => d.s1[i]!) },
      },
      { metric: 'qini' },
    );
    expect(out.scores.s1.value).toBe(direct.perScore.s1!.value);
    expect(out.treatment).toEqual({ column: 'arm', control: 'ctrl', treated: 'mail' });
    expect(out.counts.dropped).toBe(48);
    expect(out.warnings[0]).toMatch(/dropped 48 rows of arm\(s\) "sms"/);

    const noControl = await runMain([
      '--input',
      file,
      '--treatment',
      'arm',
      '--outcome',
      'y',
      '--score',
      's1',
      '--metric',
      'qini',
    ]);
    expect(noControl.code).toBe(2);
    expect(noControl.err).toMatch(/--control.*'ctrl', 'mail', 'sms'/);
    const noTreated = await runMain([
      '--input',
      file,
      '--treatment',
      'arm',
      '--control',
      'ctrl',
      '--outcome',
      'y',
      '--score',
      's1',
      '--metric',
      'qini',
    ]);
    expect(noTreated.code).toBe(2);
    expect(noTreated.err).toMatch(/--treated/);
  });

  test('the default output is a readable table', async () => {
    const d = twoArmTable(200, 3);
    const file = await csv('text.csv', d);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(
      await metricsCommand([
        '--input',
        file,
        '--treatment',
        't',
        '--outcome',
        'y',
        '--score',
        's1,s2',
        '--metric',
        'auuc',
      ]),
    ).toBe(0);
    const text = String(log.mock.calls[0]![0]);
    const direct = computeMetric({ treatment: d.t, outcome: d.y, scores: { s1: d.s1 } }, { metric: 'auuc' });
    expect(text).toMatch(/^auuc \(sklift\) on .*text\.csv: treated 1 vs control 0/);
    expect(text).toMatch(new RegExp(`s1\\s+${direct.perScore.s1!.value.toFixed(4)}`));
  });
});

/** A seeded 3-arm RCT with per-arm predicted revenue and cost columns (noisy versions of the truth). */
function threeArmTable(n: number, seed: number) {
  const rng = createRng(seed);
  const cols: Record<string, Float64Array> = {};
  for (const k of ['arm', 'revenue', 'cost', 'r0', 'r1', 'r2', 'c0', 'c1', 'c2']) cols[k] = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = rng.next();
    const trueR = [1 + x, 1.5 + 2 * x * x, 2 + x];
    const trueC = [0, 0.5 + x, 1.2];
    const a = rng.int(3);
    cols.arm![i] = a;
    cols.revenue![i] = trueR[a]! + 0.5 * rng.normal();
    cols.cost![i] = Math.max(0, trueC[a]! + 0.1 * rng.normal());
    for (let j = 0; j < 3; j++) {
      cols[`r${j}`]![i] = trueR[j]! + 0.1 * rng.normal();
      cols[`c${j}`]![i] = Math.max(0, trueC[j]! + 0.05 * rng.normal());
    }
  }
  return cols;
}

describe('eom', () => {
  test('a 3-arm table: EOM and IPW cost per budget equal eomAtBudget with the arm shares as propensities', async () => {
    const d = threeArmTable(600, 21);
    const file = await csv('three.csv', d);
    const base = [
      '--input',
      file,
      '--treatment',
      'arm',
      '--outcome',
      'revenue',
      '--cost',
      'cost',
      '--score',
      'r0,r1,r2',
      '--cost-score',
      'c0,c1,c2',
      '--metric',
      'eom',
    ];
    const out = await runJson(base);
    const arm = Int32Array.from(d.arm!);
    const shares = [0, 1, 2].map((j) => arm.filter((a) => a === j).length / arm.length);
    const n = arm.length;
    const r = new Float64Array(3 * n);
    const c = new Float64Array(3 * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < 3; j++) {
        r[3 * i + j] = d[`r${j}`]![i]!;
        c[3 * i + j] = d[`c${j}`]![i]!;
      }
    const rct = { arm, revenue: d.revenue!, cost: d.cost!, propensities: shares };
    const unit = ipwUniformRandomCost(rct);
    expect(out.propensities).toEqual(shares);
    expect(out.propensitiesFrom).toBe('table');
    expect(out.randomCost).toBe(unit);
    expect(out.budgets.map((b: { fraction: number }) => b.fraction)).toEqual(
      [0.25, 0.5, 0.75, 1].map((f) => (f * unit) / unit),
    );
    [0.25, 0.5, 0.75, 1].forEach((f, k) => {
      const e = eomAtBudget({ n, m: 3, r, c }, rct, f * unit);
      expect(out.budgets[k]).toMatchObject({ budget: f * unit, lambda: e.lambda, eom: e.eom, cost: e.cost });
    });
    // More budget buys more revenue here (costly arms earn more); checks the budgets are not mixed up.
    expect(out.budgets[3].eom).toBeGreaterThan(out.budgets[0].eom);

    // Given propensities and absolute budgets.
    const given = await runJson([...base, '--propensities', '0.3,0.3,0.4', '--budget', '0.2,0.6', '--budget-abs']);
    expect(given.propensitiesFrom).toBe('given');
    const rct2 = { ...rct, propensities: [0.3, 0.3, 0.4] };
    [0.2, 0.6].forEach((b, k) => {
      const e = eomAtBudget({ n, m: 3, r, c }, rct2, b);
      expect(given.budgets[k]).toMatchObject({ budget: b, eom: e.eom, cost: e.cost });
      expect(given.budgets[k].fraction).toBeCloseTo(b / ipwUniformRandomCost(rct2), 12);
    });
  });

  test(
    'one ranking score on two arms: ' + 'the best-ranked users are treated until the budget is spent (brute force)',
    async () => {
      const d = twoArmTable(300, 13);
      // Control rows cost nothing, so the IPW cost of "treat the top k" grows with k and the answer at a
      // budget is the largest tie-block end whose cost fits.
      const cost = Float64Array.from(d.cost, (c, i) => (d.t[i] === 1 ? c : 0));
      const file = await csv('ranking.csv', { t: d.t, y: d.y, cost, s: d.s1 });
      const out = await runJson([
        '--input',
        file,
        '--treatment',
        't',
        '--outcome',
        'y',
        '--cost',
        'cost',
        '--score',
        's',
        '--metric',
        'eom',
        '--budget',
        '0.3,0.55,0.8',
      ]);
      const n = d.t.length;
      const p1 = d.t.reduce((a, b) => a + b, 0) / n;
      const p = [1 - p1, p1];
      // Every policy "treat users with score ≥ threshold" for each distinct threshold, plus "treat nobody".
      const thresholds = [...new Set(d.s1)].sort((a, b) => b - a);
      const policies = [Infinity, ...thresholds].map((th) => {
        let rev = 0;
        let cst = 0;
        for (let i = 0; i < n; i++) {
          const treat = d.s1[i]! >= th ? 1 : 0;
          if (treat !== d.t[i]) continue;
          rev += d.y[i]! / p[treat]!;
          cst += cost[i]! / p[treat]!;
        }
        return { eom: rev / n, cost: cst / n };
      });
      for (const b of out.budgets as { budget: number; eom: number; cost: number }[]) {
        const fits = policies.filter((q) => q.cost <= b.budget);
        // Precondition of an exact comparison: no policy's cost is within the bisection's tolerance of the budget.
        expect(policies.every((q) => Math.abs(q.cost - b.budget) >= 1e-3 * b.budget)).toBe(true);
        const best = fits.reduce((a, q) => (q.cost > a.cost ? q : a));
        expect(b.cost).toBeCloseTo(best.cost, 12);
        expect(b.eom).toBeCloseTo(best.eom, 12);
      }
      expect(out.scores).toEqual({ ranking: 's' });
      expect(out.treatment.arms).toEqual([0, 1]);
    },
  );

  test('the ranking matrix: ties share a value, order follows the score, the scale does not matter', () => {
    const m = rankingScoreMatrix(Float64Array.from([3, -1, 3, 7, -Infinity]));
    expect(Array.from(m.r)).toEqual([0, 3 / 5, 0, 2 / 5, 0, 3 / 5, 0, 5 / 5, 0, 1 / 5]);
    expect(Array.from(m.c)).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    expect(rankingScoreMatrix(Float64Array.from([30, -10, 30, 70, -1e9])).r).toEqual(
      Float64Array.from([0, 3 / 5, 0, 2 / 5, 0, 3 / 5, 0, 1, 0, 1 / 5]),
    );
  });

  test('an unreachable budget is reported, not hidden', async () => {
    // Both arms cost 1 per user: no decision spends less than 1.
    const file = await csv('flat-cost.csv', { t: [0, 1, 0, 1], y: [1, 2, 1, 3], cost: [1, 1, 1, 1], s: [1, 2, 3, 4] });
    const out = await runJson([
      '--input',
      file,
      '--treatment',
      't',
      '--outcome',
      'y',
      '--cost',
      'cost',
      '--score',
      's',
      '--metric',
      'eom',
      '--budget',
      '0.5',
    ]);
    expect(out.budgets[0].cost).toBe(1);
    expect(out.warnings.join('\n')).toMatch(/cannot be met/);
  });
});

describe('usage and data errors', () => {
  test('a missing column: exit 2, naming it and the available columns', async () => {
    const file = await csv('cols.csv', { t: [0, 1], y: [0, 1], s: [0.1, 0.2] });
    const { code, err } = await runMain([
      '--input',
      file,
      '--treatment',
      't',
      '--outcome',
      'conversion',
      '--score',
      's,nope',
      '--metric',
      'qini',
    ]);
    expect(code).toBe(2);
    expect(err).toContain("'conversion' (outcome), 'nope' (score)");
    expect(err).toContain("available columns: 't', 'y', 's'");
    const direct = await metricsCommand([
      '--input',
      file,
      '--treatment',
      'arm',
      '--outcome',
      'y',
      '--score',
      's',
      '--metric',
      'qini',
    ]).catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(CliError);
    expect((direct as CliError).exitCode).toBe(2);
  });

  test('--baseline (causalml) and --checkpoints (aucc): defaults named in the output, both selectable', async () => {
    const d = twoArmTable(300, 7);
    const file = await csv('conventions.csv', d);
    const base = ['--input', file, '--treatment', 't', '--outcome', 'y', '--score', 's1,s2'];
    const input = { treatment: d.t, outcome: d.y, cost: d.cost, scores: { s1: d.s1, s2: d.s2 } };
    const qini = ['--metric', 'qini', '--convention', 'causalml'];
    const line = await runJson([...base, ...qini]);
    expect(line.options.baseline).toBe('line');
    const old = await runJson([...base, ...qini, '--baseline', 'random10']);
    expect(old.options.baseline).toBe('random10');
    for (const [out, baseline] of [
      [line, 'line'],
      [old, 'random10'],
    ] as const) {
      const direct = computeMetric(input, { metric: 'qini', convention: 'causalml', baseline, maxCurvePoints: 201 });
      expect(out.scores.s1.value).toBe(direct.perScore.s1!.value);
      expect(out.randomBaseline.curve).toEqual(direct.randomBaseline!.curve);
    }
    expect(old.scores.s1.value).not.toBe(line.scores.s1.value);
    const aucc = ['--metric', 'aucc', '--cost', 'cost', '--quantiles', '40'];
    const exact = await runJson([...base, ...aucc]);
    expect(exact.options.checkpoints).toBe('first-row');
    const interp = await runJson([...base, ...aucc, '--checkpoints', 'interpolated']);
    const direct = computeMetric(input, { metric: 'aucc', quantiles: 40, checkpoints: 'interpolated' });
    expect(interp.scores.s1.value).toBe(direct.perScore.s1!.value);
    expect(interp.scores.s1.value).not.toBe(exact.scores.s1.value);
    const text = await runText([...base, ...qini, '--baseline', 'random10']);
    expect(text).toMatch(/^qini \(causalml, baseline random10\) on /);
  });

  test(
    'usage errors exit 2: missing flags, unknown metric, a flag of another metric, ' +
      'a missing file, mismatched eom columns',
    async () => {
      const file = await csv('u.csv', { t: [0, 1], y: [0, 1], c: [0, 1], s: [0.1, 0.2] });
      const base = ['--input', file, '--treatment', 't', '--outcome', 'y', '--score', 's'];
      for (const [argv, pattern] of [
        [['--input', file, '--metric', 'qini'], /--treatment is required/],
        [[...base, '--metric', 'gini'], /--metric must be one of/],
        [[...base, '--metric', 'qini', '--k', '0.3'], /--k applies to uplift-at-k/],
        [[...base, '--metric', 'aucc'], /needs --cost/],
        [[...base, '--metric', 'qini', '--convention', 'causalml', '--negative-effect', 'false'], /sklift convention/],
        [[...base, '--metric', 'qini', '--baseline', 'line'], /causalml convention/],
        [[...base, '--metric', 'auuc', '--convention', 'causalml', '--baseline', 'mean'], /line or random10/],
        [[...base, '--metric', 'qini', '--checkpoints', 'first-row'], /--checkpoints applies to aucc/],
        [[...base, '--metric', 'aucc', '--cost', 'c', '--checkpoints', 'exact'], /first-row or interpolated/],
        [
          [
            '--input',
            path.join(dir.path, 'absent.csv'),
            '--treatment',
            't',
            '--outcome',
            'y',
            '--score',
            's',
            '--metric',
            'qini',
          ],
          /no such file/,
        ],
        [
          ['--input', file, '--treatment', 't', '--outcome', 'y', '--score', 's,', '--metric', 'qini'],
          /comma-separated list without empty entries/,
        ],
        [
          [
            '--input',
            file,
            '--treatment',
            't',
            '--outcome',
            'y',
            '--cost',
            'c',
            '--score',
            's,s',
            '--cost-score',
            'c',
            '--metric',
            'eom',
          ],
          /one --cost-score column per --score column/,
        ],
        [[...base, '--metric', 'qini', '--control', 'x'], /treatment column 't' holds numbers/],
        [[...base, '--metric', 'qini', '--control', '5'], /no row of treatment column 't' has that value/],
      ] as [string[], RegExp][]) {
        const { code, err } = await runMain(argv);
        expect(code, argv.join(' ')).toBe(2);
        expect(err, argv.join(' ')).toMatch(pattern);
      }
    },
  );

  test('data errors exit 1 and name the row', async () => {
    const file = await csv('bad.csv', {
      t: [0, 1, 1, 0],
      y: ['0', '1', '', '0'] as unknown as string[],
      s: [1, 2, 3, 4],
    });
    const bad = await runMain([
      '--input',
      file,
      '--treatment',
      't',
      '--outcome',
      'y',
      '--score',
      's',
      '--metric',
      'qini',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/outcome column 'y' holds a missing value .* at data row 3/);
    const arms = await csv('arms.csv', {
      arm: [0, 1, 3],
      y: [1, 2, 3],
      c: [0, 1, 1],
      r0: [0, 0, 0],
      r1: [1, 1, 1],
      c0: [0, 0, 0],
      c1: [1, 1, 1],
    });
    const eom = await runMain([
      '--input',
      arms,
      '--treatment',
      'arm',
      '--outcome',
      'y',
      '--cost',
      'c',
      '--score',
      'r0,r1',
      '--cost-score',
      'c0,c1',
      '--metric',
      'eom',
    ]);
    expect(eom.code).toBe(1);
    expect(eom.err).toMatch(/holds 3 at data row 3, which is none of the 2 arms/);
  });

  test('--help prints the help text, including the JSON shape', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await metricsCommand(['--help'])).toBe(0);
    expect(log.mock.calls[0]![0]).toBe(metricsHelp);
    expect(metricsHelp).toContain('--json prints one object');
  });
});
