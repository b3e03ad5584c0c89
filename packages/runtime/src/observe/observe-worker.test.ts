import { describe, expect, test } from 'vitest';
import { routineLevel } from './observe-worker.js';

describe("a job's start and end lines", () => {
  test('are info, but debug for substeps (hypergradient steps); a name not in the catalog is info', () => {
    expect(routineLevel('train.method.v1')).toBe('info');
    expect(routineLevel('allocate.method.v1')).toBe('info');
    expect(routineLevel('hypergrad.step.v1')).toBe('debug');
    expect(routineLevel('no.such.v1')).toBe('info');
  });
});
