import { describe, expect, it } from 'vitest';
import { decodeShardHulls, encodeShardHulls } from './hulls-codec.js';
import { scanShard } from './shard-scan.js';

describe('encodeShardHulls / decodeShardHulls', () => {
  it('round-trips a scan’s hulls exactly, at an unaligned offset too, and rejects other bytes', () => {
    const n = 50;
    const m = 5;
    const r = Float64Array.from({ length: n * m }, (_, k) => Math.sin(k) + (k % m));
    const c = Float64Array.from({ length: n * m }, (_, k) => (k % m) * (1 + Math.cos(k) ** 2));
    const hulls = scanShard({ n, m, r, c }).hulls;
    const bytes = encodeShardHulls(hulls);
    expect(decodeShardHulls(bytes, 'x')).toEqual(hulls);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(decodeShardHulls(shifted.subarray(1), 'x')).toEqual(hulls);
    expect(() => decodeShardHulls(bytes.subarray(0, 20), 'part-1.bin')).toThrow('part-1.bin: not a shard');
  });
});
