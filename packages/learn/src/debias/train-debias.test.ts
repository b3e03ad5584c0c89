import * as tf from '@tensorflow/tfjs';
import { DEBIAS_METHODS, dfclConfigSchema, trainingConfigSchema } from '@bidfcl/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { DeviceTable } from '../device-table.js';
import { validationLoss } from '../evaluate.js';
import { initMlp } from '../mlp.js';
import { flattenParams } from '../params.js';
import { reviveArrays, syntheticTrainData } from '../test-batches.js';
import type { TrainerState } from '../train-loop.js';
import { trainModel } from '../train-model.js';
import { upliftSpec } from '../uplift-model.js';

beforeAll(async () => {
  await initBackend();
});

const data = syntheticTrainData({ rct: 2000, val: 1500, obs: 3000 });
const training = trainingConfigSchema.parse({
  hidden: [16, 8],
  epochs: 3,
  batchSize: 256,
  learningRate: 3e-3,
  patience: 10,
});
const dfcl = dfclConfigSchema.parse({});

describe('the debiasing baselines through trainModel (docs/method.md §3.7–§3.10)', () => {
  for (const method of DEBIAS_METHODS) {
    it(`${method} lowers the validation MSE, selects by it, and leaks no tensors`, async () => {
      const spec = upliftSpec(6, 3, training.hidden);
      const valTable = new DeviceTable(data.val, data.scale);
      const init = initMlp(spec, 123);
      const initial = validationLoss(init, spec, valTable);
      const before = tf.memory().numTensors;
      const res = await trainModel(method, data, { training, dfcl, seed: 1 });
      expect(res.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
      expect(res.selectedBy).toBe('valLoss');
      const losses = res.history.map((h) => h.valLoss as number);
      expect(res.history[res.selectedEpoch - 1]?.valLoss).toBe(Math.min(...losses));
      expect(validationLoss(res.params, spec, valTable)).toBeLessThan(0.8 * initial);
      res.params.forEach((p) => p.dispose());
      res.lastParams?.forEach((p) => p.dispose());
      expect(tf.memory().numTensors).toBe(before);
      init.forEach((p) => p.dispose());
      valTable.dispose();
    });

    it(`${method}: resuming from an epoch checkpoint (auxiliary state too) equals the uninterrupted run`, async () => {
      const cfg = { training, dfcl, seed: 4 };
      const states: TrainerState[] = [];
      const full = await trainModel(method, data, cfg, { checkpoint: (s) => void states.push(s) });
      const atOne = states[0] as TrainerState;
      expect(atOne.aux?.params.length).toBeGreaterThan(0);
      const resumed = await trainModel(method, data, cfg, {
        resume: JSON.parse(JSON.stringify(atOne), reviveArrays) as TrainerState,
      });
      expect(resumed.history).toEqual(full.history);
      expect(Array.from(flattenParams(resumed.params))).toEqual(Array.from(flattenParams(full.params)));
      for (const r of [full, resumed]) [...r.params, ...(r.lastParams ?? [])].forEach((p) => p.dispose());
    });
  }

  it('needs the observational split', async () => {
    const { obs: _, ...noObs } = data;
    await expect(trainModel('dragonnet', noObs, { training, dfcl, seed: 0 })).rejects.toThrow(/data\.obs/);
  });
});
