import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bidfclConfigSchema, dfclConfigSchema, trainingConfigSchema } from '@bidfcl/contracts';
import { deriveSeed } from '@bidfcl/core';
import type { FeatureTable } from '@bidfcl/contracts';
import { initBackend } from '../backend.js';
import { flatFromTensors } from '../bilevel/tensor-closures.js';
import { DeviceTable } from '../device-table.js';
import { validationLoss } from '../evaluate.js';
import { initMlp, mlpForward } from '../mlp.js';
import { arraysToParams, type NamedArray } from '../params.js';
import { trainModel } from '../train-model.js';
import { upliftSpec } from '../uplift-model.js';
import { createBidfclContext, type BidfclContext } from './context.js';
import { hypergradStepFromSeeds } from './hypergrad-step.js';
import type { BidfclSettings } from './settings.js';
import type { BidfclState } from './state.js';
import { tinyBidfclData } from './test-data.js';
import { trainBidfcl } from './train-bidfcl.js';
import type { BidfclEpochReport, BidfclResult } from './train-types.js';

function settings(over: { bidfcl?: Record<string, unknown>; epochs?: number } = {}): BidfclSettings {
  return {
    training: trainingConfigSchema.parse({
      hidden: [16, 8],
      batchSize: 64,
      epochs: over.epochs ?? 2,
      learningRate: 3e-3,
    }),
    dfcl: dfclConfigSchema.parse({}),
    bidfcl: bidfclConfigSchema.parse({
      k: 2,
      nCg: 5,
      rctBatchSize: 128,
      warmStartFraction: 0.5,
      phiLearningRate: 1e-2,
      ...over.bidfcl,
    }),
    seed: 4,
  };
}

const data = tinyBidfclData({ rct: 200, val: 150, obs: 400, seed: 5 });

function dispose(r: BidfclResult): void {
  tf.dispose([...r.params, ...r.teacher, ...r.bridge, ...(r.lastParams ?? [])]);
}

function gatesOn(phi: tf.Tensor[], r: BidfclResult): Float32Array {
  return tf.tidy(
    () =>
      tf
        .sigmoid(mlpForward(phi, tf.tensor2d(data.val.x, [data.val.n, data.val.d]), r.bridgeSpec))
        .dataSync() as Float32Array,
  );
}

describe('trainBidfcl', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it(
    'trains bidfcl-ppl: one warm-start and one bi-level epoch, ' + 'hypergradients every k batches, gates move',
    async () => {
      const reports: BidfclEpochReport[] = [];
      const states: BidfclState[] = [];
      // The paper's setting: the batch arithmetic below counts OBS rows only (the paper's lower level).
      const s = settings({ bidfcl: { preset: 'paper' } });
      const r = await trainBidfcl('bidfcl-ppl', data, s, {
        onEpoch: (e) => void reports.push(e),
        checkpoint: (st) => void states.push(st),
      });
      expect(r.history).toHaveLength(2);
      expect(reports.map((e) => e.phase)).toEqual(['warm-start', 'bi-level']);
      // 400 rows / 64 = 6 full batches per epoch, a hypergradient before batches 0, 2, 4 of the bi-level epoch.
      expect(reports.map((e) => e.hypergradients)).toEqual([0, 3]);
      expect(r.hypergradients).toBe(3);
      for (const e of r.history) {
        expect(Number.isFinite(e.valEom)).toBe(true);
        expect(Number.isFinite(e.lowerLoss)).toBe(true);
      }
      expect(Number.isFinite(r.history[1]?.upperLoss)).toBe(true);
      // Only bi-level epochs compete for the checkpoint: the warm-start epoch is an OBS-only model.
      expect(r.selectedEpoch).toBe(2);
      expect(r.selectedBy).toBe('valEom'); // the paper preset's lowerData 'obs' selects by validation EOM
      expect(r.lastEpoch).toBe(2);
      // Gates of the final bridge (last checkpoint) against the initial bridge, on the validation rows.
      const init = initMlp(r.bridgeSpec, deriveSeed(s.seed, 'bridge-init'));
      const finalPhi = arraysToParams((states[states.length - 1] as BidfclState).phi);
      const before = gatesOn(init, r);
      const after = gatesOn(finalPhi, r);
      let maxMove = 0;
      for (let i = 0; i < before.length; i++)
        maxMove = Math.max(maxMove, Math.abs((after[i] as number) - (before[i] as number)));
      expect(maxMove).toBeGreaterThan(1e-3);
      tf.dispose(finalPhi);
      tf.dispose(init);
      dispose(r);
    },
  );

  it('bidfcl-fixgate never asks for a hypergradient and leaves the bridge at its initial values', async () => {
    const s = settings();
    s.bidfcl.teacher = { epochs: 1, batchSize: 32 };
    const r = await trainBidfcl('bidfcl-fixgate', data, s, {
      requestHypergradient: () => Promise.reject(new Error('fixgate must not request hypergradients')),
    });
    expect(r.hypergradients).toBe(0);
    expect(r.teacherSelectedEpoch).toBe(1); // the Teacher used its own (one-epoch) training config
    const init = initMlp(r.bridgeSpec, deriveSeed(s.seed, 'bridge-init'));
    expect(Array.from(flatFromTensors(r.bridge))).toEqual(Array.from(flatFromTensors(init)));
    tf.dispose(init);
    dispose(r);
  });

  it(
    'fixgate uses the fixed gate: at 0 its lower level is the factual MSE (same θ as warm start only), ' +
      'at 0.5 it is not',
    async () => {
      const run = async (fixGate: number, warmStartFraction: number): Promise<Float32Array> => {
        const r = await trainBidfcl('bidfcl-fixgate', data, settings({ bidfcl: { fixGate, warmStartFraction } }));
        const last = r.lastParams ?? r.params;
        const flat = flatFromTensors(last);
        dispose(r);
        return flat;
      };
      const factualOnly = await run(0.5, 1);
      const gateZero = await run(0, 0);
      const gateHalf = await run(0.5, 0);
      let maxZero = 0;
      let maxHalf = 0;
      for (let i = 0; i < factualOnly.length; i++) {
        maxZero = Math.max(maxZero, Math.abs((gateZero[i] as number) - (factualOnly[i] as number)));
        maxHalf = Math.max(maxHalf, Math.abs((gateHalf[i] as number) - (factualOnly[i] as number)));
      }
      expect(maxZero).toBeLessThan(1e-5);
      expect(maxHalf).toBeGreaterThan(1e-3);
    },
  );

  it.each(['none', 'ema'] as const)(
    'a run resumed from a mid-epoch checkpoint ends with exactly the parameters of an uninterrupted run (averaging %s)',
    async (averaging) => {
      const s = settings({ epochs: 3, bidfcl: { warmStartFraction: 0.34, averaging, emaDecay: 0.9 } });
      const states: BidfclState[] = [];
      const full = await trainBidfcl('bidfcl-ppl', data, s, {
        checkpoint: (st) => void states.push(structuredClone(st)),
        checkpointEveryBatches: 2,
      });
      // Mid-epoch state inside the bi-level phase (epoch 2 in progress, 4 of 6 batches done).
      const mid = states.find((st) => st.epoch === 1 && st.batchInEpoch === 4);
      expect(mid).toBeDefined();
      expect(mid?.ema !== undefined).toBe(averaging === 'ema');
      const resumed = await trainBidfcl('bidfcl-ppl', data, s, { resume: mid as BidfclState });
      expect(resumed.history).toEqual(full.history);
      expect(resumed.selectedEpoch).toBe(full.selectedEpoch);
      expect(resumed.hypergradients).toBe(full.hypergradients);
      expect(Array.from(flatFromTensors(resumed.params))).toEqual(Array.from(flatFromTensors(full.params)));
      expect(Array.from(flatFromTensors(resumed.bridge))).toEqual(Array.from(flatFromTensors(full.bridge)));
      const lastA = full.lastParams ?? full.params;
      const lastB = resumed.lastParams ?? resumed.params;
      expect(Array.from(flatFromTensors(lastB))).toEqual(Array.from(flatFromTensors(lastA)));
      dispose(full);
      dispose(resumed);
    },
  );

  it(
    'a worker-style request (own context from the stored Teacher, batches from the seeds) ' +
      'reproduces the in-process run',
    async () => {
      const s = settings();
      s.bidfcl.hvp = 'exact'; // the worker path under the exact products (the default FD path is covered above)
      const inProcess = await trainBidfcl('bidfcl-ppl', data, s);
      let teacher: NamedArray[] | undefined;
      let ctx: BidfclContext | undefined;
      let calls = 0;
      const remote = await trainBidfcl('bidfcl-ppl', data, s, {
        checkpoint: (st) => {
          teacher ??= structuredClone(st.teacher);
        },
        requestHypergradient: async (_step, theta, phi, seeds) => {
          calls++;
          if (!ctx) {
            const psi = arraysToParams(teacher as NamedArray[]);
            ctx = createBidfclContext(
              {
                rct: data.rct,
                obs: data.obs,
                scale: data.scale,
                propensities: data.propensities,
                zeroCostArms: data.zeroCostArms,
              },
              psi,
              s,
            );
            tf.dispose(psi);
          }
          const answer = hypergradStepFromSeeds(
            ctx,
            { theta: Float32Array.from(theta), phi: Float32Array.from(phi) },
            seeds,
            s,
            'ppl',
            'implicit',
          );
          return async () => answer;
        },
      });
      (ctx as BidfclContext | undefined)?.dispose();
      // The default lower level: 400 OBS then 200 RCT rows / 64 = 9 full batches, a hypergradient before batches
      // 0, 2, 4, 6, 8 (the paper's OBS-only lower level would ask for 3), so the worker's context has the same rows.
      expect(calls).toBe(5);
      expect(remote.history).toEqual(inProcess.history);
      expect(Array.from(flatFromTensors(remote.lastParams ?? remote.params))).toEqual(
        Array.from(flatFromTensors(inProcess.lastParams ?? inProcess.params)),
      );
      dispose(inProcess);
      dispose(remote);
    },
  );

  it(
    "teacherData 'rct+obs' pretrains the Teacher as tsm-both on pooled RCT+OBS rows: bit-identical to it, " +
      "and better on held-out OBS rows than the 'rct' Teacher",
    async () => {
      // 300 OBS rows to train on, 100 held out (the OBS distribution, not the RCT one the validation split has).
      const fit = { ...data, obs: sliceTable(data.obs, 0, 300) };
      const heldOut = new DeviceTable(sliceTable(data.obs, 300, 400), data.scale);
      const teacherOf = async (teacherData: 'rct' | 'rct+obs'): Promise<tf.Tensor[]> => {
        let psi: NamedArray[] | undefined;
        const r = await trainBidfcl(
          'bidfcl-fixgate',
          fit,
          settings({ bidfcl: { teacherData, teacher: { epochs: 3 } } }),
          { onTeacher: (t) => void (psi = structuredClone(t)) },
        );
        dispose(r);
        return arraysToParams(psi as NamedArray[]);
      };
      const fromRct = await teacherOf('rct');
      const pooled = await teacherOf('rct+obs');
      // The same pretraining trainModel gives tsm-both / tsm-rct (the Teacher's overrides and seed).
      const s = settings();
      const cfg = { training: { ...s.training, epochs: 3 }, dfcl: s.dfcl, seed: deriveSeed(s.seed, 'teacher') };
      for (const [method, psi] of [
        ['tsm-both', pooled],
        ['tsm-rct', fromRct],
      ] as const) {
        const ref = await trainModel(method, fit, cfg);
        expect(Array.from(flatFromTensors(psi))).toEqual(Array.from(flatFromTensors(ref.params)));
        tf.dispose([...ref.params, ...(ref.lastParams ?? [])]);
      }
      const spec = upliftSpec(data.rct.d, data.rct.m, s.training.hidden);
      const mseRct = validationLoss(fromRct, spec, heldOut);
      const msePooled = validationLoss(pooled, spec, heldOut);
      expect(msePooled).toBeLessThan(mseRct);
      heldOut.dispose();
      tf.dispose([...fromRct, ...pooled]);
    },
  );

  it(
    "averaging 'ema': the average in the checkpoints is the closed-form d-weighted mean " +
      "of the bi-level θ iterates, training's θ is unchanged, and the average is returned",
    async () => {
      const d = 0.9;
      const run = async (averaging: 'none' | 'ema') => {
        const states: BidfclState[] = [];
        // The paper's setting: the step count below is that of an OBS-only lower level (6 batches per epoch).
        const s = settings({ bidfcl: { preset: 'paper', averaging, emaDecay: d } });
        const r = await trainBidfcl('bidfcl-fixgate', data, s, {
          checkpoint: (st) => void states.push(structuredClone(st)),
          checkpointEveryBatches: 1,
        });
        return { r, states };
      };
      const plain = await run('none');
      const avg = await run('ema');
      // Raw θ after every step of the bi-level epoch (epoch 2): t = biBatches = 1..6.
      const iterates = avg.states.filter((st) => st.biBatches > 0);
      expect(iterates.map((st) => st.biBatches)).toEqual([1, 2, 3, 4, 5, 6]);
      const last = iterates[iterates.length - 1] as BidfclState;
      const lastPlain = plain.states[plain.states.length - 1] as BidfclState;
      // Averaging only watches: the trained θ is bit-identical with and without it.
      expect(flatArrays(last.theta)).toEqual(flatArrays(lastPlain.theta));
      expect(avg.states.filter((st) => st.biBatches === 0).every((st) => st.ema === undefined)).toBe(true);
      // Closed form: Σ_t d^(T−t) θ_t / Σ_t d^(T−t), T = 6, in float64.
      const T = iterates.length;
      const thetas = iterates.map((st) => flatArrays(st.theta));
      const norm = thetas.reduce((acc, _, t) => acc + d ** (T - 1 - t), 0);
      const want = (thetas[0] as number[]).map(
        (_, i) => thetas.reduce((acc, th, t) => acc + d ** (T - 1 - t) * (th[i] as number), 0) / norm,
      );
      const got = flatArrays(last.ema as NamedArray[]);
      let maxErr = 0;
      for (let i = 0; i < want.length; i++)
        maxErr = Math.max(maxErr, Math.abs((got[i] as number) - (want[i] as number)));
      expect(maxErr).toBeLessThan(1e-5);
      // The epoch-2 parameters returned (selected or last) are the average, so they differ from the plain run's θ.
      const returned = (r: BidfclResult): number[] =>
        Array.from(flatFromTensors(r.selectedEpoch === 2 ? r.params : (r.lastParams as tf.Tensor[])));
      expect(returned(avg.r)).toEqual(got);
      const plainLast = returned(plain.r);
      let moved = 0;
      for (let i = 0; i < got.length; i++)
        moved = Math.max(moved, Math.abs((got[i] as number) - (plainLast[i] as number)));
      expect(moved).toBeGreaterThan(1e-4);
      // Epoch 2 was validated on the average: history differs from the plain run there, not in the warm-start epoch.
      expect(avg.r.history[0]).toEqual(plain.r.history[0]);
      expect(avg.r.history[1]?.valLoss).not.toBe(plain.r.history[1]?.valLoss);
      dispose(plain.r);
      dispose(avg.r);
    },
  );

  it('refuses to resume a state whose parameter average does not match bidfcl.averaging', async () => {
    const states: BidfclState[] = [];
    const r = await trainBidfcl('bidfcl-fixgate', data, settings({ bidfcl: { averaging: 'ema' } }), {
      checkpoint: (st) => void states.push(structuredClone(st)),
    });
    dispose(r);
    const withEma = states[states.length - 1] as BidfclState;
    const before = tf.memory().numTensors;
    await expect(trainBidfcl('bidfcl-fixgate', data, settings(), { resume: withEma })).rejects.toThrow(
      /parameter average/,
    );
    const { ema: _dropped, ...withoutEma } = withEma;
    await expect(
      trainBidfcl('bidfcl-fixgate', data, settings({ bidfcl: { averaging: 'ema' } }), { resume: withoutEma }),
    ).rejects.toThrow(/parameter average/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it(
    "leaks no tensors with averaging 'ema' and teacherData 'rct+obs' " + '(bidfcl-ppl: hypergradients included)',
    async () => {
      const s = settings({ bidfcl: { averaging: 'ema', teacherData: 'rct+obs', teacher: { epochs: 1 } } });
      const warm = await trainBidfcl('bidfcl-ppl', data, s); // first use may build backend caches
      dispose(warm);
      const before = tf.memory().numTensors;
      const r = await trainBidfcl('bidfcl-ppl', data, s);
      dispose(r);
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('a failed hypergradient request rejects the run and frees everything it held, the Teacher included', async () => {
    const s = settings({ bidfcl: { averaging: 'ema', teacher: { epochs: 1 } } });
    let asked = 0;
    const before = tf.memory().numTensors;
    const run = trainBidfcl('bidfcl-ppl', data, s, {
      requestHypergradient: () => {
        asked += 1;
        return Promise.reject(new Error('hypergradient worker gone'));
      },
    });
    await expect(run).rejects.toThrow('hypergradient worker gone');
    expect(asked).toBe(1); // at the first batch of the bi-level epoch
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** Rows [from, to) of a table. */
function sliceTable(t: FeatureTable, from: number, to: number): FeatureTable {
  return {
    n: to - from,
    d: t.d,
    m: t.m,
    x: t.x.slice(from * t.d, to * t.d),
    arm: t.arm.slice(from, to),
    revenue: t.revenue.slice(from, to),
    cost: t.cost.slice(from, to),
  };
}

function flatArrays(a: NamedArray[]): number[] {
  return a.flatMap((e) => Array.from(e.values));
}
