import { describe, expect, it } from 'vitest';
import { excerpt, quotedList, sanitiseMessage, snippet, SNIPPET_MAX } from './snippet.js';

describe('quoting file content in messages', () => {
  it('escapes control characters and cuts at the limit, escapes never split', () => {
    expect(snippet('a\tb\nc\x1b[2J\u2028')).toBe("'a\\tb\\nc\\x1b[2J\\u2028'");
    const long = excerpt('x'.repeat(500));
    expect(long).toHaveLength(SNIPPET_MAX);
    expect(long.endsWith('…')).toBe(true);
    expect(excerpt('\x01'.repeat(100), 10)).toBe('\\x01\\x01…');
  });
  it('lists names up to the limit and says how many are left out', () => {
    expect(quotedList(['a', 'b'])).toBe("'a', 'b'");
    const many = quotedList(Array.from({ length: 50 }, (_, i) => `column_${i}`));
    expect(many.length).toBeLessThan(SNIPPET_MAX + 30);
    expect(many).toMatch(/, … \(\d+ more\)$/);
  });
  it('keeps line breaks of a message but no other control character, and caps its length', () => {
    expect(sanitiseMessage('first\nsecond\x07')).toBe('first\nsecond\\x07');
    expect(sanitiseMessage('y'.repeat(5000))).toHaveLength(2000);
  });
});
