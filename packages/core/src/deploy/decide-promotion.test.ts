import { describe, expect, test } from 'vitest';
import type { MethodMetrics } from '@bidfcl/contracts';
import { decidePromotion, pickCandidate } from './decide-promotion.js';

const metrics = (method: string, eom: number | undefined, extra: Partial<MethodMetrics> = {}): MethodMetrics => ({
  method,
  trainSeconds: 1,
  budgets: [],
  training: [],
  mean: eom === undefined ? {} : { eom, trueValue: eom / 2 },
  ...extra,
});

describe('the candidate of a run', () => {
  test('is the best trained method by the metric; references, skipped methods and missing values never count', () => {
    const ms = [
      metrics('oracle', 99),
      metrics('random', 50),
      metrics('tsm-rct', 5),
      metrics('tsm-obs', 40, { skipped: 'no obs' }),
      metrics('tsm-both', 6),
      metrics('dfcl-dpl', 6),
      metrics('tsm-ips', undefined),
    ];
    expect(pickCandidate(ms, 'eom')).toEqual({ method: 'tsm-both', value: 6 });
    expect(pickCandidate(ms, 'trueValue')).toEqual({ method: 'tsm-both', value: 3 });
    expect(pickCandidate([metrics('oracle', 9), metrics('random', 9)], 'eom')).toBeUndefined();
  });
});

describe('the promotion decision', () => {
  const base = { model: 'm', metric: 'eom' as const, margin: 0.1, candidate: { method: 'tsm-both', value: 11 } };
  const current = { version: 3, runId: 'r0', method: 'tsm-rct', value: 10 };

  test('always promotes a candidate, and nothing without one', () => {
    expect(decidePromotion({ ...base, promote: 'always' })).toMatchObject({ promoted: true });
    const none = decidePromotion({ ...base, promote: 'always', candidate: undefined });
    expect(none).toMatchObject({ promoted: false, reason: 'no trained method of this run has a eom to rank by' });
  });

  test('if-better compares with current + margin·|current|, strictly, and records both numbers', () => {
    const tie = decidePromotion({ ...base, promote: 'if-better', current });
    expect(tie).toMatchObject({ promoted: false, threshold: 11, candidate: { value: 11 }, current: { value: 10 } });
    expect(tie.reason).toBe('tsm-both eom 11 ≤ 11 (version 3 re-scored: 10, margin 0.1)');
    const better = decidePromotion({
      ...base,
      promote: 'if-better',
      current,
      candidate: { method: 'x', value: 11.01 },
    });
    expect(better).toMatchObject({ promoted: true, threshold: 11 });
    // A negative current value: the margin still asks for more, not less.
    const neg = decidePromotion({ ...base, promote: 'if-better', current: { ...current, value: -10 } });
    expect(neg.threshold).toBe(-9);
  });

  test('if-better promotes into an empty model, and refuses when the current version was not compared', () => {
    expect(decidePromotion({ ...base, promote: 'if-better' })).toMatchObject({
      promoted: true,
      reason: "'m' has no current version",
    });
    const { value: _value, ...unscored } = current;
    const refused = decidePromotion({
      ...base,
      promote: 'if-better',
      current: { ...unscored, unscorable: 'arms differ' },
    });
    expect(refused.promoted).toBe(false);
    expect(refused.reason).toBe("version 3 was not compared on this run's test split: arms differ");
    expect(refused.current).toEqual({ version: 3, runId: 'r0', method: 'tsm-rct' });
  });
});
