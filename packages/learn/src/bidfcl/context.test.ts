import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bidfclConfigSchema, dfclConfigSchema, trainingConfigSchema } from '@bidfcl/contracts';
import { initBackend } from '../backend.js';
import { initMlp, mlpForward } from '../mlp.js';
import { upliftSpec } from '../uplift-model.js';
import { createBidfclContext, lowerBatch } from './context.js';
import { disposeBatch } from './lower-level.js';
import { selectionCriterion, type BidfclSettings } from './settings.js';
import { tinyBidfclData } from './test-data.js';

const settingsFor = (lowerData: 'obs' | 'obs+rct'): BidfclSettings => ({
  training: trainingConfigSchema.parse({ hidden: [8] }),
  dfcl: dfclConfigSchema.parse({}),
  bidfcl: bidfclConfigSchema.parse({ lowerData }),
  seed: 0,
});

describe('createBidfclContext', () => {
  beforeAll(async () => {
    await initBackend();
  });
  const data = tinyBidfclData({ rct: 60, val: 20, obs: 90, seed: 6 });
  const spec = upliftSpec(data.obs.d, data.obs.m, [8]);

  it(
    'lower level on OBS, or OBS then RCT rows with lowerData obs+rct; ' + 'Teacher predictions line up with the rows',
    () => {
      const teacher = initMlp(spec, 1);
      for (const lowerData of ['obs', 'obs+rct'] as const) {
        const ctx = createBidfclContext(data, teacher, settingsFor(lowerData));
        expect(ctx.lower.n).toBe(lowerData === 'obs' ? 90 : 150);
        expect(ctx.rct.n).toBe(60);
        // Rows 5 (an OBS row) and, with obs+rct, 120 (RCT row 30).
        const rows = lowerData === 'obs' ? Int32Array.from([5, 7]) : Int32Array.from([5, 120]);
        const { batch, teacher: tp } = lowerBatch(ctx, rows);
        const direct = mlpForward(teacher, batch.x, spec);
        const a = tp.dataSync();
        const b = direct.dataSync();
        expect(a.length).toBe(b.length);
        for (let i = 0; i < a.length; i++) expect(Math.abs((a[i] as number) - (b[i] as number))).toBeLessThan(1e-6);
        if (lowerData === 'obs+rct') {
          const rctRow = Array.from(data.rct.x.subarray(30 * data.rct.d, 31 * data.rct.d));
          expect(Array.from(batch.x.dataSync().subarray(data.rct.d))).toEqual(rctRow);
        }
        tf.dispose([tp, direct]);
        disposeBatch(batch);
        ctx.dispose();
      }
      tf.dispose(teacher);
    },
  );

  it('selects by validation EOM on OBS and by validation loss with obs+rct unless told otherwise', () => {
    expect(selectionCriterion(settingsFor('obs').bidfcl)).toBe('valEom');
    expect(selectionCriterion(settingsFor('obs+rct').bidfcl)).toBe('valLoss');
    expect(selectionCriterion({ ...settingsFor('obs+rct').bidfcl, selectBy: 'valEom' })).toBe('valEom');
    expect(selectionCriterion({ ...settingsFor('obs').bidfcl, selectBy: 'valLoss' })).toBe('valLoss');
  });
});
