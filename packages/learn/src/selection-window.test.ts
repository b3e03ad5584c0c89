import { describe, expect, test } from 'vitest';
import { windowedValEom } from './selection-window.js';

describe('windowedValEom', () => {
  const h = [5, 9, 4, 6].map((valEom, i) => ({ epoch: i + 1, valEom }));
  test('the mean of the last `window` epochs; window 1 is the newest score', () => {
    expect(windowedValEom(h, 1)).toBe(6);
    expect(windowedValEom(h, 3)).toBeCloseTo((9 + 4 + 6) / 3, 12);
    expect(windowedValEom(h, 4)).toBe(6);
  });
  test('-Infinity until the window is full of finite scores (the first epochs do not compete)', () => {
    expect(windowedValEom(h.slice(0, 2), 3)).toBe(-Infinity);
    expect(windowedValEom(h, 5)).toBe(-Infinity);
    expect(windowedValEom([...h, { epoch: 5 }], 2)).toBe(-Infinity);
    expect(windowedValEom([{ epoch: 1 }], 1)).toBe(-Infinity);
  });
});
