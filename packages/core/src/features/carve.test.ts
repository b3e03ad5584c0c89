import { describe, expect, test } from 'vitest';
import { runConfigSchema, type Split } from '@bidfcl/contracts';
import { carveDestinations } from './carve.js';

const configWith = (splits: Partial<Record<Split, string[]>>, seed = 3) =>
  runConfigSchema.parse({
    runId: 'r',
    seed,
    dataset: {
      name: 'd',
      splits: { rct: ['a.csv'], ...splits },
      columns: { arm: 't', revenue: 'y', cost: 'c', features: ['x'] },
      arms: [{ name: 'a' }, { name: 'b' }],
      valFraction: 0.2,
      testFraction: 0.3,
    },
  });

const share = (s: Uint8Array) => s.reduce((a, b) => a + b, 0) / s.length;

describe('carving val/test from the RCT', () => {
  const n = 20000;
  const config = configWith({});

  test('is deterministic for a seed and part, and changes with either', () => {
    const rows = 2000;
    const dest = carveDestinations(config, 'rct', 0, rows);
    expect(carveDestinations(config, 'rct', 0, rows)).toEqual(dest);
    expect(carveDestinations(configWith({}, 4), 'rct', 0, rows).val).not.toEqual(dest.val);
    expect(carveDestinations(config, 'rct', 1, rows).test).not.toEqual(dest.test);
  });

  test('puts every row in exactly one split, in the configured shares', () => {
    const dest = carveDestinations(config, 'rct', 0, n);
    expect(Object.keys(dest).sort()).toEqual(['rct', 'test', 'val']);
    let notOnce = 0;
    for (let i = 0; i < n; i++) if (dest.rct![i]! + dest.val![i]! + dest.test![i]! !== 1) notOnce++;
    expect(notOnce).toBe(0);
    // Binomial(20000, p) shares: 4 standard errors ≤ 4·√(0.25/20000) ≈ 0.0142.
    expect(Math.abs(share(dest.val!) - 0.2)).toBeLessThan(0.0142);
    expect(Math.abs(share(dest.test!) - 0.3)).toBeLessThan(0.0142);
    expect(Math.abs(share(dest.rct!) - 0.5)).toBeLessThan(0.0142);
  });

  test('carves only the split the dataset does not give', () => {
    const dest = carveDestinations(configWith({ test: ['t.csv'] }), 'rct', 0, n);
    expect(Object.keys(dest).sort()).toEqual(['rct', 'val']);
    expect(Math.abs(share(dest.val!) - 0.2)).toBeLessThan(0.0142);
    const none = carveDestinations(configWith({ val: ['v.csv'], test: ['t.csv'] }), 'rct', 0, 5);
    expect(none).toEqual({ rct: new Uint8Array(5).fill(1) });
  });

  test('keeps any other split whole', () => {
    expect(carveDestinations(config, 'obs', 0, 5)).toEqual({ obs: new Uint8Array(5).fill(1) });
  });
});
