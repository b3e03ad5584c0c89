import { describe, expect, test } from 'vitest';
import { parseDuration, planPrune, type PrunableRun } from './run-prune-plan.js';

const DAY = 86_400_000;
const now = Date.parse('2026-12-04T00:00:00Z');
const run = (runId: string, status: PrunableRun['status'], daysAgo: number): PrunableRun => {
  const at = new Date(now - daysAgo * DAY).toISOString();
  return { runId, status, createdAt: at, updatedAt: at };
};
const runs = [
  run('r1', 'succeeded', 40),
  run('r2', 'failed', 20),
  run('r3', 'running', 15),
  run('r4', 'cancelled', 10),
  run('r5', 'succeeded', 1),
  run('r6', 'queued', 0),
];
const ids = (rs: PrunableRun[]) => rs.map((r) => r.runId).sort();

describe('planPrune', () => {
  test('--keep n keeps the newest n finished runs; runs in progress are never picked', () => {
    expect(ids(planPrune(runs, { keep: 2 }, now))).toEqual(['r1', 'r2']);
    expect(ids(planPrune(runs, { keep: 0 }, now))).toEqual(['r1', 'r2', 'r4', 'r5']);
    expect(planPrune(runs, { keep: 10 }, now)).toEqual([]);
  });
  test('--older-than picks finished runs last updated before the cutoff; with --keep both rules hold', () => {
    expect(ids(planPrune(runs, { olderThanMs: 14 * DAY }, now))).toEqual(['r1', 'r2']);
    expect(ids(planPrune(runs, { olderThanMs: 5 * DAY, keep: 3 }, now))).toEqual(['r1']);
    expect(ids(planPrune(runs, { olderThanMs: 5 * DAY, keep: 4 }, now))).toEqual([]);
    expect(ids(planPrune(runs, { olderThanMs: 5 * DAY, keep: 1 }, now))).toEqual(['r1', 'r2', 'r4']);
  });
  test('refuses a prune without a rule, and a negative or fractional keep', () => {
    expect(() => planPrune(runs, {}, now)).toThrow(/--keep <n> or --older-than/);
    expect(() => planPrune(runs, { keep: -1 }, now)).toThrow(/whole number/);
    expect(() => planPrune(runs, { keep: 1.5 }, now)).toThrow(/whole number/);
  });
});

describe('parseDuration', () => {
  test('units s, m, h, d, w', () => {
    expect(parseDuration('45s')).toBe(45_000);
    expect(parseDuration('90m')).toBe(5_400_000);
    expect(parseDuration('12h')).toBe(43_200_000);
    expect(parseDuration('30d')).toBe(30 * DAY);
    expect(parseDuration('2w')).toBe(14 * DAY);
    expect(parseDuration('1.5d')).toBe(1.5 * DAY);
  });
  test('anything else is refused with the accepted forms', () => {
    for (const bad of ['30', 'd', '3 days', '-1d', '1y', ''])
      expect(() => parseDuration(bad), bad).toThrow(/e\.g\. 30d, 12h/);
  });
});
