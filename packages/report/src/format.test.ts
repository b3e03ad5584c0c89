import { describe, expect, it } from 'vitest';
import { MISSING, amount, fixed, percent, ratio, seconds, share } from './format.js';

describe('number formatting', () => {
  it('prints ratios with four decimals and shares with three', () => {
    expect(ratio(1)).toBe('1.0000');
    expect(ratio(1.02537)).toBe('1.0254');
    expect(share(0.65049)).toBe('0.650');
    expect(seconds(412.66)).toBe('412.7');
  });

  it('prints missing and non-finite values as a dash, and never "-0"', () => {
    expect(ratio(undefined)).toBe(MISSING);
    expect(share(Number.NaN)).toBe(MISSING);
    expect(amount(Number.POSITIVE_INFINITY)).toBe(MISSING);
    expect(fixed(-0.00001, 4)).toBe('0.0000');
    expect(fixed(-0.00006, 4)).toBe('-0.0001');
  });

  it('prints raw amounts with four significant digits whatever their scale', () => {
    expect(amount(9.48612)).toBe('9.486');
    expect(amount(0.46)).toBe('0.4600');
    expect(amount(0.0123456)).toBe('0.01235');
    expect(amount(1234.56)).toBe('1235');
    expect(amount(-34.567)).toBe('-34.57');
    expect(amount(123456.7)).toBe('123457');
    expect(amount(0.00012345)).toBe('1.23e-4');
    expect(amount(0)).toBe('0');
  });

  it('prints budget fractions as percentages', () => {
    expect(percent(0.25)).toBe('25%');
    expect(percent(1)).toBe('100%');
    expect(percent(0.125)).toBe('12.5%');
    expect(percent(1 / 3)).toBe('33.3%');
  });
});
