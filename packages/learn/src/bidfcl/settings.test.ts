import { describe, expect, it } from 'vitest';
import { bidfclConfigSchema } from '@bidfcl/contracts';
import { competesForSelection, selectionCriterion } from './settings.js';

describe('bidfcl settings', () => {
  it("defaults keep the paper's Teacher and no averaging", () => {
    const b = bidfclConfigSchema.parse({});
    expect(b).toMatchObject({ teacherData: 'rct', averaging: 'none', emaDecay: 0.999 });
    expect(selectionCriterion(b)).toBe('valEom');
    expect(selectionCriterion(bidfclConfigSchema.parse({ lowerData: 'obs+rct' }))).toBe('valLoss');
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
