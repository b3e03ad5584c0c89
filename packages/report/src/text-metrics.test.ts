import { describe, expect, it } from 'vitest';
import { approxTextWidth } from './text-metrics.js';

describe('approxTextWidth', () => {
  it('sums Helvetica-like advance widths (digits are 0.556 em)', () => {
    expect(approxTextWidth('0123456789', 10)).toBeCloseTo(55.6, 10);
    // "budget" = b u d g e (0.556 each) + t (0.278) = 3.058 em.
    expect(approxTextWidth('budget', 12)).toBeCloseTo(3.058 * 12, 10);
    expect(approxTextWidth('', 12)).toBe(0);
  });

  it('is wider for wide letters and bold text, and far below Vega’s 0.8 em guess', () => {
    expect(approxTextWidth('mmmm', 11)).toBeGreaterThan(approxTextWidth('iiii', 11) * 3);
    expect(approxTextWidth('method', 12, true)).toBeGreaterThan(approxTextWidth('method', 12));
    const title = 'budget (share of random-assignment cost)';
    expect(approxTextWidth(title, 12)).toBeLessThan(0.6 * 0.8 * title.length * 12);
  });
});
