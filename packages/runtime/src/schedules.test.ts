import { describe, expect, it } from 'vitest';
import { earlierScheduledRuns, scheduledRunId, scheduledRunParts } from './schedules.js';

describe('scheduled run ids', () => {
  it('parse back into the base and the stamp scheduledRunId wrote', () => {
    const id = scheduledRunId('nightly-m8', new Date(Date.UTC(2026, 0, 2, 3, 4)));
    expect(id).toBe('nightly-m8-202601020304');
    expect(scheduledRunParts(id)).toEqual({ base: 'nightly-m8', stamp: '202601020304' });
    expect(scheduledRunParts('adhoc-run')).toBeUndefined();
  });

  it("earlierScheduledRuns: the same schedule's earlier firings, latest first", () => {
    const ids = [
      'nightly-202601030000',
      'nightly-202601010000',
      'nightly-202601020000',
      'other-202601010000',
      'nightly',
      'nightly-x-202601010000',
    ];
    expect(earlierScheduledRuns('nightly-202601030000', ids)).toEqual(['nightly-202601020000', 'nightly-202601010000']);
    expect(earlierScheduledRuns('nightly-202601010000', ids)).toEqual([]);
    expect(earlierScheduledRuns('adhoc', ids)).toEqual([]);
  });
});
