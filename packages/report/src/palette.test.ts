import { METHOD_IDS } from '@bidfcl/contracts';
import { describe, expect, it } from 'vitest';
import { armColours, hasFixedColour, isReference, methodColours } from './palette.js';

describe('method colours', () => {
  it('gives every method id its own fixed, distinct colour', () => {
    for (const id of METHOD_IDS) expect(hasFixedColour(id), id).toBe(true);
    const colours = methodColours(METHOD_IDS);
    expect(new Set(colours.values()).size).toBe(METHOD_IDS.length);
  });

  it('keeps a method’s colour whatever else is in the run', () => {
    const a = methodColours(['bidfcl-ppl', 'tsm-rct']);
    const b = methodColours(['tsm-rct', 'oracle', 'custom-x', 'bidfcl-ppl']);
    expect(a.get('bidfcl-ppl')).toBe(b.get('bidfcl-ppl'));
    expect(a.get('tsm-rct')).toBe(b.get('tsm-rct'));
  });

  it('hands unknown names extra colours in order, distinct from each other', () => {
    const c = methodColours(['mine-1', 'tsm-rct', 'mine-2']);
    expect(c.get('mine-1')).not.toBe(c.get('mine-2'));
    expect(c.get('mine-1')).not.toBe(c.get('tsm-rct'));
    expect(methodColours(['mine-1', 'mine-2']).get('mine-2')).toBe(c.get('mine-2'));
  });

  it('marks oracle and random as references', () => {
    expect(isReference('oracle')).toBe(true);
    expect(isReference('random')).toBe(true);
    expect(isReference('tsm-rct')).toBe(false);
  });
});

describe('arm colours', () => {
  it('puts arm 0 in grey and darkens monotonically with the arm index', () => {
    const colours = armColours(8);
    expect(colours).toHaveLength(8);
    expect(colours[0]).toBe('#d9d9d9');
    const lightness = colours
      .slice(1)
      .map((c) => parseInt(c.slice(1, 3), 16) + parseInt(c.slice(3, 5), 16) + parseInt(c.slice(5, 7), 16));
    for (let k = 1; k < lightness.length; k += 1) expect(lightness[k]).toBeLessThan(lightness[k - 1] ?? Infinity);
    expect(armColours(2)).toHaveLength(2);
    expect(armColours(0)).toEqual([]);
  });
});
