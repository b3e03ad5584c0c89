import { describe, expect, test } from 'vitest';
import { UserIndex, type IndexRows } from './user-index.js';

const parts = (rows: IndexRows[]) => async (visit: (r: IndexRows) => void) => rows.forEach(visit);
const rowsOf = (ids: string[], offset = 0): IndexRows => ({
  userIds: ids,
  armIndex: ids.map((_, i) => (i + offset) % 4),
  exitLambda: ids.map((_, i) => i + offset + 0.5),
});

describe('UserIndex', () => {
  test('finds every user of every part with its arm and exit λ, and no one else', async () => {
    const a = Array.from({ length: 5000 }, (_, i) => `user-${i}`);
    const b = Array.from({ length: 3000 }, (_, i) => `ü-${i}-😀`);
    const index = await UserIndex.build(8000, 4, parts([rowsOf(a), rowsOf(b, 5000)]));
    expect(index.size).toBe(8000);
    expect(index.bytes).toBe(8000 * 13);
    for (const [i, id] of [...a, ...b].entries()) expect(index.find(id)).toEqual({ arm: i % 4, exitLambda: i + 0.5 });
    for (const id of ['user-5000', '', 'user-', 'ü-3000-😀', 'USER-1']) expect(index.find(id)).toBeUndefined();
  });

  test('an empty allocation finds no one; more arms than a byte holds are kept', async () => {
    expect((await UserIndex.build(0, 3, parts([]))).find('x')).toBeUndefined();
    const wide = await UserIndex.build(
      2,
      300,
      parts([{ userIds: ['a', 'b'], armIndex: [299, 256], exitLambda: [1, 2] }]),
    );
    expect(wide.find('a')?.arm).toBe(299);
    expect(wide.find('b')?.arm).toBe(256);
  });

  test('a duplicate user id, or a row count other than the summary’s, is an error', async () => {
    await expect(UserIndex.build(3, 2, parts([rowsOf(['a', 'b', 'a'])]))).rejects.toThrow(/'a' appears twice/);
    await expect(UserIndex.build(4, 2, parts([rowsOf(['a', 'b', 'c'])]))).rejects.toThrow(/hold 3 users/);
  });
});
