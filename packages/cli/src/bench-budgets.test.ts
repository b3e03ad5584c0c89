import { describe, expect, test } from 'vitest';
import { benchBudgets, withBudgets } from './bench-budgets.js';

describe('bench budget flags', () => {
  test('fractions or money per user, each a list of positive numbers', () => {
    expect(benchBudgets('0.5,1', undefined)).toEqual({ budgets: [0.5, 1] });
    expect(benchBudgets(undefined, '1.2, 2.5')).toEqual({ budgetsPerUser: [1.2, 2.5] });
    expect(benchBudgets(undefined, undefined)).toBeUndefined();
  });

  test('both at once, or a value that is not a positive number, is a usage error', () => {
    const fails = (f: string | undefined, m: string | undefined) => {
      try {
        benchBudgets(f, m);
      } catch (err) {
        return { code: (err as { exitCode?: number }).exitCode, message: (err as Error).message };
      }
      throw new Error('no error');
    };
    expect(fails('0.5', '1.2')).toEqual({
      code: 2,
      message:
        "give --budgets (fractions of the random assignment's cost) or --budgets-per-user (money per user), not both",
    });
    expect(fails(undefined, '1.2,,3')).toEqual({
      code: 2,
      message: "--budgets-per-user must be positive amounts of money per user separated by commas, got '1.2,,3'",
    });
    expect(fails('0.5,-1', undefined).message).toMatch(/--budgets must be positive fractions/);
    expect(fails(undefined, 'lots').code).toBe(2);
  });

  test("the flags' budgets replace a config's budgets, given either way, and keep its other settings", () => {
    expect(withBudgets({ budgets: [0.8], auccQuantiles: 50 }, { budgetsPerUser: [2] })).toEqual({
      budgetsPerUser: [2],
      auccQuantiles: 50,
    });
    expect(withBudgets({ budgetsPerUser: [2] }, { budgets: [0.5] })).toEqual({ budgets: [0.5] });
    expect(withBudgets(undefined, { budgets: [0.5] })).toEqual({ budgets: [0.5] });
  });
});
