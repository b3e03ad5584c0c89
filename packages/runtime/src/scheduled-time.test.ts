import { describe, expect, test } from 'vitest';
import { scheduledTimeOf } from './scheduled-time.js';

describe('scheduledTimeOf', () => {
  const due = Date.UTC(2026, 10, 28, 2, 0);
  const created = Date.UTC(2026, 10, 27, 2, 0, 3);

  test("a scheduler's firing is due at the millis its id names, whatever its creation time", () => {
    expect(scheduledTimeOf({ id: `repeat:nightly:${due}`, repeatJobKey: 'nightly', timestamp: created })).toBe(due);
    // A scheduler id may itself contain ':'.
    expect(scheduledTimeOf({ id: `repeat:a:b:${due}`, repeatJobKey: 'a:b', timestamp: created })).toBe(due);
  });

  test("falls back to the options' prevMillis when the id does not name the time", () => {
    expect(scheduledTimeOf({ id: 'custom', repeatJobKey: 'nightly', opts: { prevMillis: due } })).toBe(due);
    expect(scheduledTimeOf({ id: 'repeat:nightly:soon', repeatJobKey: 'nightly', opts: {} })).toBeUndefined();
  });

  test('a job no scheduler added has no scheduled time', () => {
    expect(scheduledTimeOf({ id: `repeat:nightly:${due}`, timestamp: created })).toBeUndefined();
  });
});
