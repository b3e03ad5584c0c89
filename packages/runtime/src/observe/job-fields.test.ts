import { describe, expect, test } from 'vitest';
import { attemptDurationMs, attemptOf, jobLogFields } from './job-fields.js';

const job = { id: 'r1.train.tsm', name: 'train.method.v1', data: { runId: 'r1', method: 'tsm' }, attemptsMade: 0 };

describe('job log fields', () => {
  test('a run job carries its runId, id, name, queue and attempt', () => {
    expect(jobLogFields('training', { ...job, attemptsStarted: 1 })).toEqual({
      runId: 'r1',
      jobId: 'r1.train.tsm',
      job: 'train.method.v1',
      queue: 'training',
      attempt: 1,
    });
  });

  test('a job of no run (an allocation shard) has no runId field at all', () => {
    expect(jobLogFields('allocation', { ...job, data: { allocationId: 'a1' } })).not.toHaveProperty('runId');
  });

  test('the attempt counts starts, including a restart after a stall; ended attempts when starts are unknown', () => {
    expect(attemptOf({ ...job, attemptsStarted: 3, attemptsMade: 1 })).toBe(3);
    expect(attemptOf({ ...job, attemptsMade: 2 })).toBe(2);
    expect(attemptOf(job)).toBe(1);
  });

  test('the duration runs from the start to the end, or to now while BullMQ has no end time', () => {
    expect(attemptDurationMs({ ...job, processedOn: 1000, finishedOn: 3500 }, 9999)).toBe(2500);
    expect(attemptDurationMs({ ...job, processedOn: 1000 }, 1700)).toBe(700);
    expect(attemptDurationMs(job, 1700)).toBeUndefined();
    expect(jobLogFields('training', { ...job, processedOn: 10, finishedOn: 52 }, 99).durationMs).toBe(42);
  });
});
