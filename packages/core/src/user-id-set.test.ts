import { describe, expect, it } from 'vitest';
import { tieKeyOf } from './allocation/tie-key.js';
import { UserIdSet } from './user-id-set.js';

describe('UserIdSet', () => {
  it('returns the earlier rows of an id added again, through growth, and nothing for new ids', () => {
    const set = new UserIdSet(16);
    const n = 5000;
    for (let i = 0; i < n; i++) expect(set.add(`u${i}`, i)).toEqual([]);
    expect(set.size).toBe(n);
    // Brute force: every id added again names exactly its first row (no two of these ids share a hash).
    expect(new Set(Array.from({ length: n }, (_, i) => tieKeyOf(`u${i}`))).size).toBe(n);
    for (const i of [0, 1, 17, 2047, 4999]) expect(set.add(`u${i}`, n + i)).toEqual([i]);
    expect(set.add('u17', 9999)).toEqual([17, n + 17]);
  });
});
