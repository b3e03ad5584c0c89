import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bidfclConfigSchema, dfclConfigSchema, trainingConfigSchema } from '@bidfcl/contracts';
import { createRng } from '@bidfcl/core';
import { initBackend } from '../backend.js';
import { flatFromTensors } from '../bilevel/tensor-closures.js';
import { arraysToParams, type NamedArray } from '../params.js';
import { createBidfclContext, type BidfclContext } from './context.js';
import { hypergradStepFromSeeds } from './hypergrad-step.js';
import type { BidfclSettings } from './settings.js';
import type { BidfclState } from './state.js';
import { tinyBidfclData } from './test-data.js';
import { trainBidfcl } from './train-bidfcl.js';
import type { BidfclHooks, BidfclResult } from './train-types.js';

// bidfcl.hypergradInFlight (docs/method.md §3.5, "Asynchronous hypergradients"): step s's ∇φ is applied at the
// (s + n)-th due point whatever the moment its answer arrives, and everything in flight is applied at an epoch's
// end and at every mid-epoch checkpoint.

const data = tinyBidfclData({ rct: 200, val: 150, obs: 400, seed: 5 });

function settings(hypergradInFlight: number): BidfclSettings {
  return {
    training: trainingConfigSchema.parse({ hidden: [16, 8], batchSize: 64, epochs: 3, learningRate: 3e-3 }),
    dfcl: dfclConfigSchema.parse({}),
    bidfcl: bidfclConfigSchema.parse({
      k: 2,
      nCg: 5,
      rctBatchSize: 128,
      warmStartFraction: 0.34,
      phiLearningRate: 3e-2,
      hypergradInFlight,
    }),
    seed: 4,
  };
}

type Event = `send ${number}` | `apply ${number}` | `checkpoint ${number}`;

/**
 * A run whose hypergradients are computed as the default in-process source does, but whose answers arrive after
 * a seeded number of event-loop turns (`lateness` > 0), with the order of sends, applications and checkpoints.
 */
async function train(n: number, lateness = 0, hooks: BidfclHooks = {}) {
  const s = settings(n);
  const events: Event[] = [];
  const rng = createRng(99);
  let ctx: BidfclContext | undefined;
  let teacher: NamedArray[] | undefined;
  try {
    const r = await trainBidfcl('bidfcl-ppl', data, s, {
      ...hooks,
      onTeacher: (t) => void (teacher = structuredClone(t)),
      checkpoint: (st) => {
        events.push(`checkpoint ${st.totals.hypergradients}`);
        return hooks.checkpoint?.(st);
      },
      onHypergradient: (h) => void events.push(`apply ${h.step}`),
      requestHypergradient: async (step, theta, phi, seeds) => {
        events.push(`send ${step}`);
        if (!ctx) {
          const psi = arraysToParams(teacher as NamedArray[]);
          ctx = createBidfclContext(data, psi, s);
          tf.dispose(psi);
        }
        const answer = hypergradStepFromSeeds(ctx, { theta, phi }, seeds, s, 'ppl', 'implicit');
        const turns = lateness ? Math.floor(rng.next() * lateness) : 0;
        return async () => {
          for (let i = 0; i < turns; i++) await new Promise((res) => setImmediate(res));
          return answer;
        };
      },
    });
    return { r, events };
  } finally {
    ctx?.dispose();
  }
}

const flat = (ps: tf.Tensor[]): number[] => Array.from(flatFromTensors(ps));

function dispose(r: BidfclResult): void {
  tf.dispose([...r.params, ...r.teacher, ...r.bridge, ...(r.lastParams ?? [])]);
}

describe('bidfcl.hypergradInFlight', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('n = 2 applies step s at the (s + 2)-th due point, drains at each epoch end, and moves the result', async () => {
    const sync = await train(0);
    const two = await train(2);
    // 400 OBS + 200 RCT rows / 64 = 9 batches an epoch, then 2 bi-level epochs with a hypergradient every k = 2
    // lower steps counted across them: before batches 0, 2, 4, 6, 8 of the first and 1, 3, 5, 7 of the second.
    const send = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `send ${from + i}`);
    expect(two.events).toEqual([
      'checkpoint 0', // the warm-start epoch
      ...['send 0', 'send 1', 'send 2', 'apply 0', 'send 3', 'apply 1', 'send 4', 'apply 2'],
      ...['apply 3', 'apply 4', 'checkpoint 5'],
      ...['send 5', 'send 6', 'send 7', 'apply 5', 'send 8', 'apply 6'],
      ...['apply 7', 'apply 8', 'checkpoint 9'],
    ]);
    expect(sync.events.filter((e) => e.startsWith('send'))).toEqual(send(0, 9));
    expect(sync.events.slice(1, 5)).toEqual(['send 0', 'apply 0', 'send 1', 'apply 1']);
    expect(two.r.hypergradients).toBe(9);
    // Stale gradients are a different algorithm: the bi-level epochs end elsewhere (the warm-start epoch does not).
    expect(two.r.history[0]).toEqual(sync.r.history[0]);
    expect(flat(two.r.bridge)).not.toEqual(flat(sync.r.bridge));
    dispose(sync.r);
    dispose(two.r);
  });

  it.each([1, 3])('n = %i gives the same run whenever the answers arrive', async (n) => {
    const atOnce = await train(n);
    const late = await train(n, 50);
    expect(late.events).toEqual(atOnce.events);
    expect(late.r.history).toEqual(atOnce.r.history);
    expect(flat(late.r.params)).toEqual(flat(atOnce.r.params));
    expect(flat(late.r.bridge)).toEqual(flat(atOnce.r.bridge));
    dispose(atOnce.r);
    dispose(late.r);
  });

  it('a run resumed from a mid-epoch checkpoint ends exactly as the uninterrupted one (n = 2)', async () => {
    const states: BidfclState[] = [];
    const full = await train(2, 5, {
      checkpoint: (st) => void states.push(structuredClone(st)),
      checkpointEveryBatches: 4,
    });
    // Epoch 2 in progress, 4 of 9 batches done: sends 0, 1 (batches 0, 2) were applied before saving. The
    // warm-start epoch saved after its batches 4 and 8 and at its end.
    const mid = states.find((st) => st.epoch === 1 && st.batchInEpoch === 4) as BidfclState;
    expect(mid.totals.hypergradients).toBe(2);
    expect(full.events.slice(0, 8)).toEqual([
      ...['checkpoint 0', 'checkpoint 0', 'checkpoint 0'],
      ...['send 0', 'send 1', 'apply 0', 'apply 1', 'checkpoint 2'],
    ]);
    const resumed = await train(2, 5, { resume: mid, checkpointEveryBatches: 4 });
    expect(resumed.r.history).toEqual(full.r.history);
    expect(resumed.r.hypergradients).toBe(full.r.hypergradients);
    expect(flat(resumed.r.params)).toEqual(flat(full.r.params));
    expect(flat(resumed.r.bridge)).toEqual(flat(full.r.bridge));
    dispose(full.r);
    dispose(resumed.r);
  });
});
