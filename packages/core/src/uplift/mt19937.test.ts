import { describe, expect, it } from 'vitest';
import { Mt19937 } from './mt19937.js';

// Reference values printed by numpy (legacy seeding): np.random.seed(s); np.random.rand(...).
describe('MT19937 matches numpy legacy seeding', () => {
  it('seed 42: the first five doubles', () => {
    const r = new Mt19937(42);
    const got = Array.from({ length: 5 }, () => r.nextDouble());
    expect(got).toEqual([
      0.3745401188473625, 0.9507143064099162, 0.7319939418114051, 0.5986584841970366, 0.15601864044243652,
    ]);
  });
  it('seed 42: doubles 623, 624 (across a state regeneration) and 999', () => {
    const r = new Mt19937(42);
    const got: number[] = [];
    for (let i = 0; i < 1000; i++) got.push(r.nextDouble());
    expect(got[623]).toBe(0.4845229851910213);
    expect(got[624]).toBe(0.618254771530296);
    expect(got[999]).toBe(0.44600577295795574);
  });
  it('seed 7', () => {
    const r = new Mt19937(7);
    expect([r.nextDouble(), r.nextDouble(), r.nextDouble()]).toEqual([
      0.07630828937395717, 0.7799187922401146, 0.4384092314408935,
    ]);
  });
  it('rejects seeds numpy rejects', () => {
    expect(() => new Mt19937(-1)).toThrow();
    expect(() => new Mt19937(2 ** 32)).toThrow();
    expect(() => new Mt19937(1.5)).toThrow();
  });
});
