import { describe, expect, it } from 'vitest';
import { keys } from '@bidfcl/contracts';
import { DEFAULT_MAX_PAYLOAD_BYTES, loadRuntimeEnv } from './env.js';
import { parsePayload } from './queues.js';

const payload = {
  runId: 'r1',
  method: 'bidfcl-ppl' as const,
  step: 1,
  thetaKey: keys.hypergrad('r1', 'bidfcl-ppl', 1, 'theta'),
  phiKey: keys.hypergrad('r1', 'bidfcl-ppl', 1, 'phi'),
  obsBatchSeed: 1,
  rctBatchSeed: 2,
};

describe('job payload size limit (BIDFCL_MAX_PAYLOAD_BYTES)', () => {
  it('passes a payload at the limit and refuses one byte more, naming the job and the limit', () => {
    const size = Buffer.byteLength(JSON.stringify(parsePayload('hypergrad.step.v1', payload)));
    expect(parsePayload('hypergrad.step.v1', payload, size)).toEqual(payload);
    expect(() => parsePayload('hypergrad.step.v1', payload, size - 1)).toThrow(
      `payload of hypergrad.step.v1 is ${size} bytes, above BIDFCL_MAX_PAYLOAD_BYTES=${size - 1}: ` +
        'put large data in the store',
    );
  });

  it('reads the limits and the local roots from the environment, with defaults', () => {
    const d = loadRuntimeEnv({});
    expect(d.maxPayloadBytes).toBe(DEFAULT_MAX_PAYLOAD_BYTES);
    expect(d.inputs).toEqual({ maxBytes: 2 * 1024 ** 3 });
    const e = loadRuntimeEnv({
      BIDFCL_MAX_PAYLOAD_BYTES: '1000',
      BIDFCL_LOCAL_ROOTS: '/data:/srv/in',
      BIDFCL_MAX_INPUT_BYTES: '5',
    });
    expect(e.maxPayloadBytes).toBe(1000);
    expect(e.inputs).toEqual({ maxBytes: 5, localRoots: ['/data', '/srv/in'] });
    expect(() => loadRuntimeEnv({ BIDFCL_LOCAL_ROOTS: 'data' })).toThrow(
      /BIDFCL_LOCAL_ROOTS: every root must be an absolute path/,
    );
    expect(() => loadRuntimeEnv({ BIDFCL_MAX_INPUT_BYTES: '-1' })).toThrow(/BIDFCL_MAX_INPUT_BYTES/);
  });
});
