import { describe, expect, it } from 'vitest';
import type { RunMetrics } from '@bidfcl/contracts';
import { demoVerdict } from './demo.js';

const metrics = (ratios: Record<string, number | undefined>): RunMetrics => ({
  runId: 'r',
  dataset: 'd',
  seed: 0,
  arms: ['a', 'b'],
  hasTruth: true,
  testRows: 10,
  randomCost: 1,
  createdAt: '',
  methods: Object.entries(ratios).map(([method, r]) => ({
    method,
    trainSeconds: 1,
    budgets: [],
    training: [],
    mean: r === undefined ? {} : { eom: 1, trueValueNormalised: r },
  })),
});

describe('demoVerdict', () => {
  it('says how Bi-DFCL compares with tsm-rct, beside tsm-both and the oracle', () => {
    expect(demoVerdict(metrics({ 'tsm-rct': 1, 'tsm-both': 1.021, 'bidfcl-ppl': 1.034, oracle: 1.0712 }))).toBe(
      'In short: Bi-DFCL (bidfcl-ppl) earns +3.4% true revenue against tsm-rct at the same budgets ' +
        '(tsm-both +2.1%, the oracle +7.1%), on one small simulated seed; `npm run bench` compares over seeds.',
    );
    expect(demoVerdict(metrics({ 'bidfcl-ppl': 0.99 }))).toMatch(
      /earns -1\.0% true revenue against tsm-rct at the same budgets, on one/,
    );
  });

  it('says so when Bi-DFCL has no result', () => {
    expect(demoVerdict(metrics({ 'tsm-rct': 1, 'bidfcl-ppl': undefined }))).toMatch(/produced no result/);
  });
});
