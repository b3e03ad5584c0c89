import { describe, expect, it } from 'vitest';
import { bidfclConfigSchema } from '@bidfcl/contracts';
import { competesForSelection, selectionCriterion } from './settings.js';

describe('bidfcl settings', () => {
  it('defaults to the Teacher setting: lower level on OBS+RCT, Teacher on RCT+OBS, select by validation loss', () => {
    const b = bidfclConfigSchema.parse({});
    expect(b).toMatchObject({
      preset: 'teacher',
      lowerData: 'obs+rct',
      teacherData: 'rct+obs',
      averaging: 'none',
      emaDecay: 0.999,
    });
    expect(b.selectBy).toBeUndefined();
    expect(selectionCriterion(b)).toBe('valLoss');
  });

  it("preset 'paper' restores the paper's settings exactly: OBS lower level, RCT Teacher, validation EOM", () => {
    const b = bidfclConfigSchema.parse({ preset: 'paper' });
    expect(b).toMatchObject({ preset: 'paper', lowerData: 'obs', teacherData: 'rct', averaging: 'none' });
    expect(selectionCriterion(b)).toBe('valEom');
  });

  it('a key given explicitly overrides its preset value, and only that key', () => {
    expect(bidfclConfigSchema.parse({ lowerData: 'obs' })).toMatchObject({ lowerData: 'obs', teacherData: 'rct+obs' });
    expect(selectionCriterion(bidfclConfigSchema.parse({ lowerData: 'obs' }))).toBe('valEom');
    expect(bidfclConfigSchema.parse({ preset: 'paper', teacherData: 'rct+obs' })).toMatchObject({
      lowerData: 'obs',
      teacherData: 'rct+obs',
    });
    expect(selectionCriterion(bidfclConfigSchema.parse({ preset: 'paper', lowerData: 'obs+rct' }))).toBe('valLoss');
    expect(selectionCriterion(bidfclConfigSchema.parse({ selectBy: 'valEom' }))).toBe('valEom');
  });

  it('a parsed config parses to itself (run.json is read back through the schema)', () => {
    for (const input of [{}, { preset: 'paper' }, { lowerData: 'obs' }, { preset: 'paper', teacherData: 'rct+obs' }]) {
      const once = bidfclConfigSchema.parse(input);
      expect(bidfclConfigSchema.parse(JSON.parse(JSON.stringify(once)))).toEqual(once);
    }
  });

  it('accepts the new options and rejects a decay outside (0, 1) and unknown values', () => {
    expect(bidfclConfigSchema.parse({ teacherData: 'rct+obs', averaging: 'ema', emaDecay: 0.99 })).toMatchObject({
      teacherData: 'rct+obs',
      averaging: 'ema',
      emaDecay: 0.99,
    });
    for (const bad of [
      { emaDecay: 1 },
      { emaDecay: 0 },
      { emaDecay: -0.5 },
      { averaging: 'swa' },
      { teacherData: 'obs' },
      { preset: 'ours' },
    ]) {
      expect(bidfclConfigSchema.safeParse(bad).success).toBe(false);
    }
  });
});

describe('checkpoint selection window', () => {
  it('only bi-level epochs compete when any are planned; otherwise every epoch does', () => {
    // 20 epochs, 4 of warm start: epochs 1-4 never win, 5-20 do.
    expect([1, 2, 3, 4, 5, 20].map((e) => competesForSelection(e, 4, 20))).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
    ]);
    // No warm start: every epoch competes.
    expect(competesForSelection(1, 0, 3)).toBe(true);
    // Warm start covers every epoch (warmStartFraction 1): every epoch competes, so a checkpoint exists.
    expect([1, 2, 3].map((e) => competesForSelection(e, 3, 3))).toEqual([true, true, true]);
  });
});
