import { describe, expect, test } from 'vitest';
import type { RunMetrics, RunRecord } from '@bidfcl/contracts';
import { configDifferences, metricsSideBySide } from './runs-compare.js';

const config = (over: Record<string, unknown>) =>
  ({
    runId: 'a',
    seed: 0,
    methods: ['tsm-rct', 'random'],
    training: { epochs: 20, hidden: [64, 32] },
    ...over,
  }) as unknown as RunRecord['config'];

const metrics = (methods: [string, Record<string, number>][]) =>
  ({ methods: methods.map(([method, mean]) => ({ method, mean })) }) as unknown as RunMetrics;

describe('runs compare', () => {
  test('config: differing leaves by dotted key, arrays whole, keys on one side only, run id ignored', () => {
    const a = config({ runId: 'a' });
    const b = config({ runId: 'b', seed: 1, training: { epochs: 20, hidden: [64, 16] }, bidfcl: { k: 5 } });
    expect(configDifferences(a, b)).toEqual([
      { key: 'bidfcl.k', a: undefined, b: 5 },
      { key: 'seed', a: 0, b: 1 },
      { key: 'training.hidden', a: [64, 32], b: [64, 16] },
    ]);
    expect(configDifferences(a, config({ runId: 'c' }))).toEqual([]);
  });

  test('metrics: every method of either run, b − a where both have the metric', () => {
    const a = metrics([['tsm-rct', { eom: 2, trueValue: 10 }]]);
    const b = metrics([
      ['tsm-rct', { eom: 2.5, trueValue: 9 }],
      ['bidfcl-ppl', { eom: 3 }],
    ]);
    expect(metricsSideBySide(a, b)).toEqual([
      { method: 'tsm-rct', metric: 'eom', a: 2, b: 2.5, diff: 0.5 },
      { method: 'tsm-rct', metric: 'trueValue', a: 10, b: 9, diff: -1 },
      { method: 'bidfcl-ppl', metric: 'eom', a: undefined, b: 3, diff: undefined },
    ]);
    expect(metricsSideBySide(undefined, a)).toEqual([
      { method: 'tsm-rct', metric: 'eom', a: undefined, b: 2, diff: undefined },
      { method: 'tsm-rct', metric: 'trueValue', a: undefined, b: 10, diff: undefined },
    ]);
  });
});
