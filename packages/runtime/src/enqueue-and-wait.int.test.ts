import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Job, Worker } from 'bullmq';
import { jobIds, keys, type JobPayloadInput, type JobResult } from '@bidfcl/contracts';
import { createTestRuntime, type TestRuntime } from './testing/index.js';
import { startRoleWorkers } from './worker-factory.js';

const runId = 'run-wait';
const step = (n: number): JobPayloadInput<'hypergrad.step.v1'> => ({
  runId,
  method: 'bidfcl-ppl',
  step: n,
  thetaKey: keys.hypergrad(runId, 'bidfcl-ppl', n, 'theta'),
  phiKey: keys.hypergrad(runId, 'bidfcl-ppl', n, 'phi'),
  obsBatchSeed: 11,
  rctBatchSeed: 12,
});
const answer = (n: number): JobResult<'hypergrad.step.v1'> => ({
  gradKey: keys.hypergrad(runId, 'bidfcl-ppl', n, 'grad'),
  cgIterations: 3,
  negativeCurvatureStops: 0,
  upperLoss: 0.25 * n,
});

describe('enqueueAndWait against a real Redis', () => {
  let rt: TestRuntime;
  beforeEach(async () => {
    rt = await createTestRuntime('wait');
  });
  afterEach(async () => {
    await rt.cleanup();
  });

  test("returns the job's typed result, and the stored one when the same job id is asked for again", async () => {
    let calls = 0;
    const workers = startRoleWorkers(rt.ctx, 'hypergradient', {
      handlers: {
        'hypergrad.step.v1': async ({ step: n }) => {
          calls++;
          return answer(n);
        },
      },
    });
    try {
      const id = jobIds.hypergrad(runId, 'bidfcl-ppl', 4);
      const result = await rt.ctx.queues.enqueueAndWait('hypergrad.step.v1', step(4), id);
      const upperLoss: number = result.upperLoss;
      expect(upperLoss).toBe(1);
      expect(result).toEqual(answer(4));
      expect(await rt.ctx.queues.enqueueAndWait('hypergrad.step.v1', step(4), id)).toEqual(answer(4));
      expect(calls).toBe(1);
    } finally {
      await workers.close();
    }
  });

  test('a result that does not match the catalog is rejected, naming the job id and the field', async () => {
    // A worker outside the factory (which would refuse to complete the job) answers with a malformed result.
    const rogue = new Worker('hypergrad', async () => ({ gradKey: 7, cgIterations: 3 }), {
      connection: rt.ctx.redis,
      prefix: rt.env.prefix,
    });
    try {
      const id = jobIds.hypergrad(runId, 'bidfcl-ppl', 5);
      const waited = rt.ctx.queues.enqueueAndWait('hypergrad.step.v1', step(5), id);
      const err = await waited.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).name).toBe('PermanentJobError');
      expect((err as Error).message).toContain(`hypergrad.step.v1 job ${id} returned a result that does not match`);
      expect((err as Error).message).toMatch(/gradKey/);
      expect((err as Error).message).toMatch(/negativeCurvatureStops/);
    } finally {
      await rogue.close();
    }
  });

  test("a handler's malformed result fails its job at once, and the waiter gets that failure", async () => {
    let calls = 0;
    const workers = startRoleWorkers(rt.ctx, 'hypergradient', {
      handlers: {
        'hypergrad.step.v1': async ({ step: n }) => {
          calls++;
          return { ...answer(n), upperLoss: 'low' } as never;
        },
      },
    });
    try {
      const id = jobIds.hypergrad(runId, 'bidfcl-ppl', 6);
      await expect(rt.ctx.queues.enqueueAndWait('hypergrad.step.v1', step(6), id)).rejects.toThrow(
        new RegExp(`hypergrad\\.step\\.v1 job ${id.replace(/\./g, '\\.')} returned a result[\\s\\S]*upperLoss`),
      );
      expect(calls).toBe(1);
      expect((await Job.fromId(rt.ctx.queues.queue('hypergrad'), id))?.attemptsMade).toBe(1);
    } finally {
      await workers.close();
    }
  });
});
