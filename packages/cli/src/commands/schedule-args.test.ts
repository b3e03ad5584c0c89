import { describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { scheduleArgsProblem } from './schedule.js';

describe('schedule add: --cron and --tz are checked before anything runs', () => {
  it('accepts valid patterns and time zones', () => {
    expect(scheduleArgsProblem('0 2 * * *', undefined)).toBeUndefined();
    expect(scheduleArgsProblem('30 0 2 * * 1-5', 'Europe/Berlin')).toBeUndefined();
  });

  it('names what is wrong and what is allowed', () => {
    expect(scheduleArgsProblem('0 2 * * *', 'Mars/Olympus')).toBe(
      "--tz 'Mars/Olympus' is not an IANA time zone name (e.g. UTC, Europe/Berlin, America/New_York)",
    );
    expect(scheduleArgsProblem('99 * * * *', undefined)).toMatch(
      /^--cron '99 \* \* \* \*' is not a valid cron pattern: .*59.* \(fields: minute hour day-of-month month/,
    );
    expect(scheduleArgsProblem('every night', undefined)).toMatch(/is not a cron pattern of 5 or 6 fields/);
  });

  it('exits 2 (usage) for a bad time zone, before reading the config or connecting', async () => {
    const err: string[] = [];
    const original = console.error;
    console.error = (...a: unknown[]) => void err.push(a.join(' '));
    try {
      const status = await main(['schedule', 'add', 'nightly', '--config', '/nonexistent.yaml', '--tz', 'Nowhere/X']);
      expect(status).toBe(2);
      expect(err.join('\n')).toContain("--tz 'Nowhere/X' is not an IANA time zone name");
    } finally {
      console.error = original;
    }
  });
});
