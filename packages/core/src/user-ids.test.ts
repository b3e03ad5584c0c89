import { describe, expect, test } from 'vitest';
import { userIdsOf } from './user-ids.js';

describe('userIdsOf', () => {
  test("the dataset's user ids when the table carries them", () => {
    expect(userIdsOf({ n: 2, userId: ['u7', 'u3'] }, 'test')).toEqual(['u7', 'u3']);
  });
  test('else the split and the row position', () => {
    expect(userIdsOf({ n: 3 }, 'test')).toEqual(['test-0', 'test-1', 'test-2']);
  });
  test('a table whose ids do not match its rows is an error, not a misaligned column', () => {
    expect(() => userIdsOf({ n: 3, userId: ['a'] }, 'val')).toThrow(/val split has 3 rows but 1 user ids/);
  });
});
