import * as tf from '@tensorflow/tfjs';
import { dfclConfigSchema, trainingConfigSchema } from '@bidfcl/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { DeviceTable } from './device-table.js';
import { validationLoss } from './evaluate.js';
import { initMlp, paramNames } from './mlp.js';
import { flattenParams } from './params.js';
import { reviveArrays, syntheticTrainData } from './test-batches.js';
import { runTrainingLoop, type TrainerState } from './train-loop.js';
import { trainModel, type TrainMethod } from './train-model.js';
import { upliftSpec } from './uplift-model.js';

beforeAll(async () => {
  await initBackend();
});

const data = syntheticTrainData({ rct: 3000, val: 1500, obs: 4000 });
const training = trainingConfigSchema.parse({
  hidden: [16, 8],
  epochs: 5,
  batchSize: 256,
  learningRate: 3e-3,
  patience: 10,
});
const dfcl = dfclConfigSchema.parse({ alpha: 10, tau: 0.1 });

function disposeResult(r: { params: tf.Tensor[]; lastParams?: tf.Tensor[] }): void {
  r.params.forEach((p) => p.dispose());
  r.lastParams?.forEach((p) => p.dispose());
}

describe('trainModel', () => {
  it('tsm-rct lowers the validation MSE well below the initial model, and leaks no tensors', async () => {
    const spec = upliftSpec(6, 3, training.hidden);
    const init = initMlp(spec, 123);
    const valTable = new DeviceTable(data.val, data.scale);
    const initialLoss = validationLoss(init, spec, valTable);
    const before = tf.memory().numTensors;
    const epochs: number[] = [];
    const res = await trainModel(
      'tsm-rct',
      data,
      { training, dfcl, seed: 0 },
      { onEpoch: (e) => void epochs.push(e.epoch) },
    );
    expect(epochs).toEqual([1, 2, 3, 4, 5]);
    const trained = validationLoss(res.params, spec, valTable);
    expect(trained).toBeLessThan(0.8 * initialLoss);
    expect(res.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5]);
    const best = Math.min(...res.history.map((h) => h.valLoss as number));
    expect(res.history[res.selectedEpoch - 1]?.valLoss).toBe(best);
    expect(res.selectedBy).toBe('valLoss');
    expect(trained).toBeCloseTo(best, 5);
    expect(res.history.every((h) => Number.isFinite(h.valEom) && Number.isFinite(h.lowerLoss))).toBe(true);
    disposeResult(res);
    expect(tf.memory().numTensors).toBe(before);
    init.forEach((p) => p.dispose());
    valTable.dispose();
  });

  it('is deterministic: same seed → identical parameters; another seed → different', async () => {
    const cfg = { training: { ...training, epochs: 2 }, dfcl, seed: 7 };
    const a = await trainModel('tsm-both', data, cfg);
    const b = await trainModel('tsm-both', data, cfg);
    const c = await trainModel('tsm-both', data, { ...cfg, seed: 8 });
    expect(Array.from(flattenParams(a.params))).toEqual(Array.from(flattenParams(b.params)));
    expect(Array.from(flattenParams(a.params))).not.toEqual(Array.from(flattenParams(c.params)));
    [a, b, c].forEach(disposeResult);
  });

  it('resuming from an epoch checkpoint reproduces the uninterrupted run bit for bit', async () => {
    const cfg = { training: { ...training, epochs: 4 }, dfcl, seed: 3 };
    const states: TrainerState[] = [];
    const full = await trainModel('dfcl-ppl', data, cfg, { checkpoint: (s) => void states.push(s) });
    const atTwo = states[1] as TrainerState;
    expect(atTwo.epoch).toBe(2);
    const resumed = await trainModel('dfcl-ppl', data, cfg, {
      resume: JSON.parse(JSON.stringify(atTwo), reviveArrays) as TrainerState,
    });
    expect(resumed.history).toEqual(full.history);
    expect(resumed.selectedEpoch).toBe(full.selectedEpoch);
    expect(Array.from(flattenParams(resumed.params))).toEqual(Array.from(flattenParams(full.params)));
    [full, resumed].forEach(disposeResult);
  });

  const others: TrainMethod[] = ['tsm-obs', 'tsm-ips', 'dfcl-dpl', 'dfcl-difd', 'dfcl-pifd'];
  for (const method of others) {
    it(`${method} trains, reports validation EOM per epoch and selects an epoch`, async () => {
      const before = tf.memory().numTensors;
      const res = await trainModel(method, data, { training: { ...training, epochs: 2 }, dfcl, seed: 1 });
      expect(res.history).toHaveLength(2);
      for (const h of res.history) {
        expect(Number.isFinite(h.valEom)).toBe(true);
        expect(Number.isFinite(h.valLoss)).toBe(true);
        expect(Number.isFinite(method.startsWith('dfcl') ? h.upperLoss : h.lowerLoss)).toBe(true);
      }
      expect([1, 2]).toContain(res.selectedEpoch);
      expect(res.selectedBy).toBe(method.startsWith('dfcl') ? 'valEom' : 'valLoss');
      if (method.startsWith('dfcl')) {
        const eoms = res.history.map((h) => h.valEom as number);
        expect(res.history[res.selectedEpoch - 1]?.valEom).toBe(Math.max(...eoms));
      }
      expect(res.lastParams !== undefined).toBe(res.selectedEpoch !== 2);
      disposeResult(res);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('needs the observational split for OBS methods', async () => {
    const { obs: _, ...noObs } = data;
    await expect(trainModel('tsm-obs', noObs, { training, dfcl, seed: 0 })).rejects.toThrow(/data\.obs/);
  });
});

/** A training loop on a small table whose validation returns the given scores in turn (as valEom too). */
function scriptedLoop(scores: number[], extra: Partial<Parameters<typeof runTrainingLoop>[0]>) {
  const spec = upliftSpec(6, 3, [4]);
  const train = new DeviceTable(data.rct, data.scale);
  let calls = 0;
  const loop = runTrainingLoop({
    method: 'test',
    spec,
    train,
    epochs: 10,
    batchSize: 1000,
    learningRate: 1e-3,
    patience: 10,
    seed: 0,
    initParams: () => initMlp(spec, 0),
    loss: (pred) => tf.mean(pred) as tf.Scalar,
    lossField: 'lowerLoss',
    validate: () => {
      const score = scores[calls++] ?? 0;
      return { fields: { valEom: score }, score };
    },
    ...extra,
  });
  return { spec, train, loop };
}

describe('runTrainingLoop early stopping', () => {
  it('stops after `patience` epochs without improvement and returns the best and the last parameters', async () => {
    const { spec, train, loop } = scriptedLoop([1, 3, 2, 2.5, 5], { patience: 2 });
    const res = await loop;
    expect(res.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
    expect(res.selectedEpoch).toBe(2);
    expect(res.lastParams).toBeDefined();
    expect(res.params.map((p) => p.shape)).toEqual((res.lastParams as tf.Tensor[]).map((p) => p.shape));
    expect(paramNames(spec)).toHaveLength(res.params.length);
    disposeResult(res);
    train.dispose();
  });
});

describe('runTrainingLoop selection window (training.selectionWindow)', () => {
  // valEom per epoch 2, 9, 4, 8, 9: the raw score picks epoch 2 (a lone peak), the mean of the last three
  // (epochs 3–5: 5, 7, 7; epochs 1–2 do not compete) picks epoch 4, where the scores stay high.
  const run = async (selectionWindow: number, selectedBy: 'valEom' | 'valLoss' = 'valEom') => {
    const { train, loop } = scriptedLoop([2, 9, 4, 8, 9], { epochs: 5, selectedBy, selectionWindow });
    const res = await loop;
    disposeResult(res);
    train.dispose();
    return res.selectedEpoch;
  };
  it('window 1 keeps the lone peak, window 3 the epoch ending the best three; only for valEom selection', async () => {
    expect(await run(1)).toBe(2);
    expect(await run(3)).toBe(4);
    expect(await run(3, 'valLoss')).toBe(2);
  });
});

describe('runTrainingLoop divergence', () => {
  const spec = upliftSpec(6, 3, [4]);
  const base = {
    method: 'test',
    spec,
    epochs: 5,
    batchSize: 1000,
    learningRate: 1e-3,
    patience: 10,
    seed: 0,
    initParams: () => initMlp(spec, 0),
    lossField: 'lowerLoss' as const,
    validate: () => ({ fields: {}, score: 0 }),
  };

  it('stops at the first non-finite epoch and returns the best finite checkpoint', async () => {
    const train = new DeviceTable(data.rct, data.scale);
    let steps = 0;
    const before = tf.memory().numTensors;
    const res = await runTrainingLoop({
      ...base,
      train,
      // Three steps per epoch: the 5th step (epoch 2) produces NaN gradients.
      loss: (pred) => tf.mul(tf.mean(pred), ++steps === 5 ? Number.NaN : 1) as tf.Scalar,
    });
    expect(res.divergedAt).toBe(2);
    expect(res.history).toEqual([{ epoch: 1, lowerLoss: expect.any(Number) }, { epoch: 2 }]);
    expect(res.selectedEpoch).toBe(1);
    expect(res.lastParams).toBeUndefined();
    expect(Array.from(flattenParams(res.params)).every(Number.isFinite)).toBe(true);
    disposeResult(res);
    expect(tf.memory().numTensors).toBe(before);
    train.dispose();
  });

  it('throws with advice when the very first epoch diverges', async () => {
    const train = new DeviceTable(data.rct, data.scale);
    await expect(
      runTrainingLoop({ ...base, train, loss: (pred) => tf.mul(tf.mean(pred), Number.NaN) as tf.Scalar }),
    ).rejects.toThrow(/diverged in epoch 1.*alpha/);
    train.dispose();
  });
});
