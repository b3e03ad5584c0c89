import { describe, expect, test } from 'vitest';
import type { RunMetrics } from '@bidfcl/contracts';
import { interval, meanStd, poolDiffs, summariseRuns } from './bench-summary.js';

const run = (seed: number, tv: number, secs: number, bothSecs: number): RunMetrics => ({
  runId: `r${seed}`,
  dataset: 'd',
  seed,
  arms: ['a', 'b'],
  hasTruth: true,
  testRows: 10,
  randomCost: 1,
  createdAt: '',
  methods: [
    {
      method: 'bidfcl-ppl',
      trainSeconds: secs,
      budgets: [],
      training: [],
      mean: {
        eom: 2,
        eomNormalised: 1 + (tv - 1) / 2,
        eomNormalisedSe: 0.01,
        eomNormalisedVsTsmRct: { diff: (tv - 1) / 2, se: 0.03 },
        trueValue: 3,
        trueValueNormalised: tv,
        oracleCapture: tv - 0.5,
      },
    },
    { method: 'tsm-both', trainSeconds: bothSecs, budgets: [], training: [], mean: { eom: 2 } },
    { method: 'bidfcl-pifd', skipped: 'needs obs', trainSeconds: 0, budgets: [], training: [], mean: {} },
  ],
});

describe('bench summary', () => {
  test('mean ± sample std over seeds', () => {
    expect(meanStd([1, 2, 3, undefined, Number.NaN])).toEqual({ mean: 2, std: 1, n: 3 });
    expect(meanStd([5])).toEqual({ mean: 5, std: 0, n: 1 });
    expect(meanStd([])).toBeUndefined();
  });
  test('per-method summary, training time ratio to tsm-both, skipped methods', () => {
    const s = summariseRuns([run(0, 1.02, 30, 10), run(1, 1.04, 20, 10)], ['bidfcl-ppl', 'bidfcl-pifd']);
    expect(s['bidfcl-ppl']!.trueValueNormalised!.mean).toBeCloseTo(1.03, 12);
    expect(s['bidfcl-ppl']!.trueValueNormalised!.std).toBeCloseTo(Math.sqrt(2 * 0.01 ** 2), 12);
    expect(s['bidfcl-ppl']!.trainTimeRatioToTsmBoth).toEqual({
      mean: 2.5,
      std: expect.closeTo(Math.SQRT1_2, 12),
      n: 2,
    });
    expect(s['bidfcl-pifd']).toEqual({ skipped: 'needs obs' });
  });
  test('paired differences against tsm-rct pool over seeds: mean diff, variances added', () => {
    const s = summariseRuns([run(0, 1.02, 30, 10), run(1, 1.04, 20, 10)], ['bidfcl-ppl']);
    const d = s['bidfcl-ppl']!.eomVsTsmRct!;
    expect(d.diff).toBeCloseTo(0.015, 12);
    expect(d.se).toBeCloseTo(Math.sqrt(2 * 0.03 ** 2) / 2, 12);
    expect(d.seeds).toBe(2);
    expect(s['bidfcl-ppl']!.eomNormalisedSe).toEqual({ mean: 0.01, std: 0, n: 2 });
    expect(poolDiffs([undefined])).toBeUndefined();
    expect(interval({ diff: 0.01, se: 0.01 })).toBe('+0.0100 [-0.0096, +0.0296]');
    expect(interval(undefined)).toBe('—');
  });
});
