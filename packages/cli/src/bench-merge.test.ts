import { describe, expect, test } from 'vitest';
import type { RunMetrics } from '@bidfcl/contracts';
import { BenchMergeError, mergeBenchJson } from './bench-merge.js';
import type { BenchJson } from './bench-summary.js';

const method = (name: string, tvNorm: number, eom = tvNorm * 2): RunMetrics['methods'][number] => ({
  method: name,
  trainSeconds: 10,
  budgets: [],
  training: [],
  mean: { eom, eomNormalised: 1, trueValue: tvNorm * 3, trueValueNormalised: tvNorm, oracleCapture: 0.5 },
});

const bench = (runs: { seed: number; methods: RunMetrics['methods'] }[], over: Partial<BenchJson> = {}): BenchJson => ({
  tool: 'bidfcl bench',
  createdAt: '2026-11-28T00:00:00.000Z',
  versions: { bidfcl: '0.1.0' },
  scenario: { name: 'marketing-8', sizes: { rct: 100 } },
  methods: [...new Set(runs.flatMap((r) => r.methods.map((m) => m.method)))],
  seeds: runs.map((r) => r.seed),
  budgets: [0.5, 1],
  config: { methods: [], training: { epochs: 3 } },
  runs: runs.map((r) => ({
    seed: r.seed,
    runId: `r${r.seed}`,
    wallSeconds: 5,
    metrics: {
      runId: `r${r.seed}`,
      dataset: 'd',
      seed: r.seed,
      arms: ['a', 'b'],
      hasTruth: true,
      testRows: 100,
      randomCost: 2,
      createdAt: '',
      methods: r.methods,
    },
  })),
  summary: {},
  ...over,
});

describe('bench-merge', () => {
  test('seeds from one file and methods from another give one summary over all seeds', () => {
    const a = bench([
      { seed: 0, methods: [method('tsm-rct', 1), method('bidfcl-ppl', 1.02)] },
      { seed: 1, methods: [method('tsm-rct', 1), method('bidfcl-ppl', 1.04)] },
    ]);
    const b = bench([
      { seed: 1, methods: [method('tsm-rct', 1), method('tsm-both', 1.03)] },
      { seed: 2, methods: [method('tsm-rct', 1), method('bidfcl-ppl', 1.06), method('tsm-both', 1.05)] },
    ]);
    const m = mergeBenchJson([
      { source: 'a.json', json: a },
      { source: 'b.json', json: b },
    ]);
    expect(m.seeds).toEqual([0, 1, 2]);
    expect(m.methods).toEqual(['tsm-rct', 'bidfcl-ppl', 'tsm-both']);
    expect(m.runs[1]!.metrics.methods.map((x) => x.method)).toEqual(['tsm-rct', 'bidfcl-ppl', 'tsm-both']);
    expect(m.runs[1]!.runId).toBe('r1+r1');
    expect(m.runs[1]!.wallSeconds).toBe(10);
    expect(m.summary['bidfcl-ppl']!.trueValueNormalised).toEqual({
      mean: expect.closeTo(1.04, 12),
      std: expect.closeTo(0.02, 12),
      n: 3,
    });
    expect(m.summary['tsm-both']!.trueValueNormalised).toEqual({
      mean: expect.closeTo(1.04, 12),
      std: expect.closeTo(Math.SQRT2 * 0.01, 12),
      n: 2,
    });
    expect(m.config.methods).toEqual(m.methods);
    expect(m.mergedFrom!.map((f) => f.source)).toEqual(['a.json', 'b.json']);
  });

  test('merges benches with money budgets, and keeps them as money', () => {
    const money = (seed: number) => {
      const { budgets: _f, ...rest } = bench([{ seed, methods: [method('tsm-rct', 1)] }]);
      return { ...rest, budgetsPerUser: [1.2, 2.5] };
    };
    const m = mergeBenchJson([
      { source: 'a.json', json: money(0) },
      { source: 'b.json', json: money(1) },
    ]);
    expect(m.seeds).toEqual([0, 1]);
    expect(m.budgetsPerUser).toEqual([1.2, 2.5]);
    expect(m.budgets).toBeUndefined();
    expect(() =>
      mergeBenchJson([
        { source: 'a.json', json: money(0) },
        { source: 'b.json', json: { ...money(1), budgetsPerUser: [1.2, 3] } },
      ]),
    ).toThrow(/b\.json: the budgets \(money per user 1\.2, 3\) differ from a\.json's \(money per user 1\.2, 2\.5\)/);
  });

  test('refuses files of other data, budgets or configuration, and a method whose result on a seed differs', () => {
    const a = bench([{ seed: 0, methods: [method('tsm-rct', 1)] }]);
    const merge = (b: BenchJson) => () =>
      mergeBenchJson([
        { source: 'a.json', json: a },
        { source: 'b.json', json: b },
      ]);
    expect(
      merge(
        bench([{ seed: 1, methods: [method('tsm-rct', 1)] }], {
          scenario: { name: 'marketing-8', sizes: { rct: 200 } },
        }),
      ),
    ).toThrow(/b\.json: the scenario differs from a\.json's \(field 'sizes'\)/);
    expect(merge(bench([{ seed: 1, methods: [method('tsm-rct', 1)] }], { budgets: [0.25] }))).toThrow(
      "b.json: the budgets (fractions of the random assignment's cost 0.25) differ from a.json's (fractions of " +
        "the random assignment's cost 0.5, 1); only benches of the same budgets can be merged",
    );
    // Money per user is another budget than the same numbers as fractions.
    const { budgets: _f, ...noFractions } = bench([{ seed: 1, methods: [method('tsm-rct', 1)] }]);
    expect(merge({ ...noFractions, budgetsPerUser: [0.5, 1] })).toThrow(
      /b\.json: the budgets \(money per user 0\.5, 1\) differ from a\.json's \(fractions of .* 0\.5, 1\)/,
    );
    expect(
      merge(
        bench([{ seed: 1, methods: [method('tsm-rct', 1)] }], { config: { methods: ['x'], training: { epochs: 4 } } }),
      ),
    ).toThrow(/the run configuration differs from a\.json's \(field 'training'\)/);
    expect(merge(bench([{ seed: 0, methods: [method('tsm-rct', 1, 2.5)] }]))).toThrow(
      /tsm-rct on seed 0 gave a different result than in a\.json/,
    );
    const otherTest = bench([{ seed: 0, methods: [method('tsm-both', 1)] }]);
    otherTest.runs[0]!.metrics.testRows = 99;
    expect(merge(otherTest)).toThrow(/seed 0's test data differs/);
    expect(() => mergeBenchJson([{ source: 'x.json', json: { hello: 1 } as never }])).toThrow(BenchMergeError);
    // Only `methods` may differ between configurations.
    expect(
      merge(
        bench([{ seed: 0, methods: [method('tsm-rct', 1), method('dfcl-ppl', 0.98)] }], {
          config: { methods: ['tsm-rct', 'dfcl-ppl'], training: { epochs: 3 } },
        }),
      )().summary['dfcl-ppl']!.trueValueNormalised!.mean,
    ).toBeCloseTo(0.98, 12);
  });
});
