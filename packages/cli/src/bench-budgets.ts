import { usageError } from './cli-error.js';

/** The budgets of a bench's runs, one way or the other (the run config's evaluation.budgets / budgetsPerUser). */
export type BenchBudgets = { budgets: number[] } | { budgetsPerUser: number[] };

function positiveList(flag: string, text: string, what: string): number[] {
  const xs = text.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  if (xs.some((x) => !(x > 0) || !Number.isFinite(x)))
    throw usageError(`--${flag} must be positive ${what} separated by commas, got '${text}'`);
  return xs;
}

/**
 * `bidfcl bench --budgets f,…` (fractions of the uniform random assignment's cost) or `--budgets-per-user b,…`
 * (money per user, in the cost column's units): usage errors for both at once or for a value that is not a positive
 * number; undefined when neither is given (the run config's budgets apply).
 */
export function benchBudgets(fractions: string | undefined, perUser: string | undefined): BenchBudgets | undefined {
  if (fractions !== undefined && perUser !== undefined)
    throw usageError(
      "give --budgets (fractions of the random assignment's cost) or --budgets-per-user (money per user), not both",
    );
  if (fractions !== undefined) return { budgets: positiveList('budgets', fractions, 'fractions') };
  if (perUser !== undefined)
    return { budgetsPerUser: positiveList('budgets-per-user', perUser, 'amounts of money per user') };
  return undefined;
}

/**
 * A run config's evaluation settings with the flags' budgets in place of the budgets it had (given either way), and
 * its other settings kept.
 */
export function withBudgets(evaluation: unknown, budgets: BenchBudgets): Record<string, unknown> {
  const { budgets: _f, budgetsPerUser: _m, ...rest } = (evaluation ?? {}) as Record<string, unknown>;
  return { ...rest, ...budgets };
}
