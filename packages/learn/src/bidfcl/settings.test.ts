import { describe, expect, it } from 'vitest';
import { bidfclConfigSchema } from '@bidfcl/contracts';
import { selectionCriterion } from './settings.js';

describe('bidfcl settings', () => {
  it("defaults keep the paper's Teacher and no averaging", () => {
    const b = bidfclConfigSchema.parse({});
    expect(b).toMatchObject({ teacherData: 'rct', averaging: 'none', emaDecay: 0.999 });
    expect(selectionCriterion(b)).toBe('valEom');
    expect(selectionCriterion(bidfclConfigSchema.parse({ lowerData: 'obs+rct' }))).toBe('valLoss');
  });

  it('accepts the new options and rejects a decay outside (0, 1) and unknown values', () => {
    expect(bidfclConfigSchema.parse({ teacherData: 'rct+obs', averaging: 'ema', emaDecay: 0.99 })).toMatchObject({ teacherData: 'rct+obs', averaging: 'ema', emaDecay: 0.99 });
    for (const bad of [{ emaDecay: 1 }, { emaDecay: 0 }, { emaDecay: -0.5 }, { averaging: 'swa' }, { teacherData: 'obs' }]) {
      expect(bidfclConfigSchema.safeParse(bad).success).toBe(false);
    }
  });
});
