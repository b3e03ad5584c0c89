import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { initMlp, mlpForward } from './mlp.js';
import { syntheticRct } from './test-batches.js';
import { predictScores, upliftSpec } from './uplift-model.js';

beforeAll(async () => {
  await initBackend();
});

describe('predictScores', () => {
  const table = syntheticRct(1000, 6, 4, 3);
  const spec = upliftSpec(6, 4, [16, 8]);
  const scale = { revenue: 7.5, cost: 0.8 };

  it(
    'returns raw-unit scores = standardised outputs × scale, ' + 'with ĉ = 0 on zero-cost arms, batch size irrelevant',
    () => {
      const params = initMlp(spec, 1);
      const s = predictScores(params, spec, table, scale, [true, false, false, false], 128);
      const whole = predictScores(params, spec, table, scale, [true, false, false, false], 5000);
      expect(Array.from(s.r)).toEqual(Array.from(whole.r));
      expect(Array.from(s.c)).toEqual(Array.from(whole.c));
      const raw = tf.tidy(() => mlpForward(params, tf.tensor2d(table.x, [table.n, table.d]), spec).dataSync());
      for (let i = 0; i < table.n; i += 97) {
        expect(s.c[i * 4]).toBe(0);
        for (let j = 0; j < 4; j++) expect(s.r[i * 4 + j]).toBeCloseTo((raw[i * 8 + j] as number) * 7.5, 4);
        for (let j = 1; j < 4; j++) {
          expect(s.c[i * 4 + j]).toBeCloseTo((raw[i * 8 + 4 + j] as number) * 0.8, 5);
          expect(s.c[i * 4 + j]).toBeGreaterThan(0); // softplus
        }
      }
      // Without zero-cost arms, arm 0's predicted cost is kept.
      const all = predictScores(params, spec, table, scale, [false, false, false, false]);
      expect(all.c[0]).toBeCloseTo((raw[4] as number) * 0.8, 5);
      params.forEach((p) => p.dispose());
    },
  );

  it('leaks no tensors', () => {
    const params = initMlp(spec, 2);
    const before = tf.memory().numTensors;
    predictScores(params, spec, table, scale, [true, false, false, false], 100);
    expect(tf.memory().numTensors).toBe(before);
    params.forEach((p) => p.dispose());
  });

  it('rejects mismatched shapes with a message that names them', () => {
    const params = initMlp(spec, 2);
    expect(() => predictScores(params, upliftSpec(6, 3, [16, 8]), table, scale, [true, false, false])).toThrow(
      /4 arms/,
    );
    expect(() => predictScores(params, spec, table, scale, [true])).toThrow(/zeroCostArms/);
    params.forEach((p) => p.dispose());
  });
});
