import { describe, expect, it } from 'vitest';
import { splitRows } from './plan.js';

describe('splitRows', () => {
  it('splits rows over files into near-equal consecutive shards, every row once', () => {
    const shards = splitRows(['a', 'b', 'c'], [5, 0, 3], 3);
    expect(shards).toEqual([
      [{ source: 'a', start: 0, end: 2 }],
      [{ source: 'a', start: 2, end: 5 }],
      [{ source: 'c', start: 0, end: 3 }],
    ]);
    const one = splitRows(['a', 'b'], [2, 2], 1);
    expect(one).toEqual([
      [
        { source: 'a', start: 0, end: 2 },
        { source: 'b', start: 0, end: 2 },
      ],
    ]);
  });
});
