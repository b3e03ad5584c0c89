import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelVersion } from '@bidfcl/contracts';
import { LocalStore } from '../store/local-store.js';
import type { RangeReader } from '../store/artefact-store.js';
import { tempDir } from '../testing/temp-dir.js';
import { writeParquet } from '../table/parquet.js';
import { openParquetRowGroups } from '../table/parquet-row-groups.js';
import { decisionsSha256 } from './decisions.js';
import { digestPart, mergedDecisionsSha256 } from './decisions-digest.js';
import { planAllocation } from './plan.js';
import { decodeShardScores, encodeShardScores } from './shard-scores.js';
import { readShardUsers, readUsersRows } from './users.js';

const encoding = { featureNames: ['x0'], mean: [1], std: [2], vocab: {} } as unknown as ModelVersion['encoding'];
const usersParquet = (ids: string[], groupRows: number) =>
  writeParquet({ user_id: ids, x0: Float64Array.from(ids, (_, i) => i) }, { rowGroupRows: groupRows });

/** A reader over bytes in memory that counts the bytes it hands out. */
const counting = (bytes: Uint8Array) => {
  const r = { size: bytes.length, bytesRead: 0 } as RangeReader & { bytesRead: number };
  r.read = async (start, end) => {
    const b = bytes.slice(start, Math.min(end, bytes.length));
    r.bytesRead += b.length;
    return b;
  };
  r.close = async () => undefined;
  return r;
};

describe('users tables by row groups (docs/method.md §7: memory bounded by the shard)', () => {
  it('reads only the row groups that hold a shard, with file row numbers in messages', async () => {
    const dir = await tempDir('io-users-rows');
    try {
      const ids = Array.from({ length: 1000 }, (_, i) => `u${i}`);
      const file = path.join(dir.path, 'users.parquet');
      await writeFile(file, usersParquet(ids, 100));
      const store = new LocalStore(dir.path);
      const t = await readUsersRows(file, 250, 420, store, {});
      expect(t.firstRow).toBe(200);
      expect(t.table.numRows).toBe(300); // row groups 2, 3 and 4 of 10
      const shard = await readShardUsers([{ source: file, start: 250, end: 420 }], 'user_id', encoding, store, {});
      expect(shard.userIds).toEqual(ids.slice(250, 420));
      expect(shard.x[0]).toBe((250 - 1) / 2);
      const reader = counting(
        usersParquet(
          Array.from({ length: 20000 }, (_, i) => `u${i}`),
          2000,
        ),
      );
      const one = await openParquetRowGroups(reader, 'users');
      expect((await one.read(3, 3)).numRows).toBe(2000);
      expect(reader.bytesRead).toBeLessThan(reader.size / 4); // the footer and one row group of ten
      // The same through the store (store: sources read by ranges too).
      await writeFile(path.join(dir.path, 'in-store.parquet'), usersParquet(ids, 100));
      const s = await readUsersRows('store:in-store.parquet', 999, 1000, store, {});
      expect([s.firstRow, s.table.numRows]).toEqual([900, 100]);
      const bad = writeParquet(
        { user_id: ids, x0: Float64Array.from(ids, (_, i) => (i === 640 ? NaN : i)) },
        { rowGroupRows: 100 },
      );
      await writeFile(file, bad);
      await expect(
        readShardUsers([{ source: file, start: 600, end: 700 }], 'user_id', encoding, store, {}),
      ).rejects.toThrow(`${file}: feature column 'x0' is not numeric at row 641`);
    } finally {
      await dir.cleanup();
    }
  });

  it('planAllocation finds a duplicate id across files and row groups, naming both rows', async () => {
    const dir = await tempDir('io-plan-dup');
    try {
      const store = new LocalStore(dir.path);
      const a = path.join(dir.path, 'a.parquet');
      const b = path.join(dir.path, 'b.parquet');
      await writeFile(
        a,
        usersParquet(
          Array.from({ length: 500 }, (_, i) => `u${i}`),
          64,
        ),
      );
      const version = { encoding } as ModelVersion;
      await writeFile(
        b,
        usersParquet(
          Array.from({ length: 300 }, (_, i) => `v${i}`),
          64,
        ),
      );
      const plan = await planAllocation([a, b], version, 'user_id', 3, store, {});
      expect(plan.users).toBe(800);
      await writeFile(b, usersParquet([...Array.from({ length: 200 }, (_, i) => `v${i}`), 'u123'], 64));
      await expect(planAllocation([a, b], version, 'user_id', 3, store, {})).rejects.toThrow(
        `duplicate user id 'u123' at ${b} row 201 (first at ${a} row 124)`,
      );
    } finally {
      await dir.cleanup();
    }
  });
});

describe('staged shard scores', () => {
  it('round-trip scores and tie keys bit for bit, at an unaligned offset too', () => {
    const n = 7;
    const m = 3;
    const r = Float64Array.from({ length: n * m }, (_, k) => Math.sin(k) * 1e10);
    const c = Float64Array.from({ length: n * m }, (_, k) => (k % m) / 3 + Number.MIN_VALUE);
    const tieKeys = Float64Array.from({ length: n }, (_, i) => 2 ** 53 - 1 - i);
    const bytes = encodeShardScores({ n, m, r, c }, tieKeys);
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    for (const b of [bytes, shifted.subarray(3)]) {
      const back = decodeShardScores(b, 'x');
      expect([back.scores.n, back.scores.m]).toEqual([n, m]);
      expect(Array.from(back.scores.r)).toEqual(Array.from(r));
      expect(Array.from(back.scores.c)).toEqual(Array.from(c));
      expect(Array.from(back.tieKeys)).toEqual(Array.from(tieKeys));
    }
    expect(() => decodeShardScores(bytes.subarray(0, 30), 'part-2.bin')).toThrow('part-2.bin: not a shard');
  });
});

describe('mergedDecisionsSha256', () => {
  it('equals decisionsSha256 of all users however they are sharded, one row group per shard at a time', async () => {
    const n = 3000;
    // Ids in no particular order, of mixed length and case, so code-unit order differs from row order.
    const ids = Array.from({ length: n }, (_, i) => `${(i * 7919) % n}${i % 3 ? 'a' : 'B'}`);
    const arms = Int32Array.from(ids, (_, i) => (i * 31) % 5);
    const reference = decisionsSha256(ids, arms);
    for (const cuts of [
      [0, n],
      [0, 1000, 2000, n],
      [0, 1, 17, 1500, n - 1, n],
    ]) {
      const readers = cuts.slice(1).map((end, k) => {
        const start = cuts[k]!;
        return counting(digestPart(ids.slice(start, end), arms.subarray(start, end), 128));
      });
      const sha = await mergedDecisionsSha256(readers.map((reader, k) => ({ reader, what: `part ${k}` })));
      expect(sha).toBe(reference);
    }
  });
});
