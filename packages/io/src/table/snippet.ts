/**
 * At most this many characters of an input file's content go into one message (run.json, logs, the terminal):
 * enough to recognise a value or a header, too little to copy out a file that a config pointed at by mistake.
 */
export const SNIPPET_MAX = 80;

/** One character as a message may show it: control and line-separator characters escaped, others as they are. */
function visible(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code === 0x2028 || code === 0x2029) return `\\u${code.toString(16)}`;
  return ch;
}

/**
 * Text from an input file made safe for a message: control characters escaped (no terminal escape sequence or
 * forged line gets through) and cut, with '…', so that the result is at most `max` characters.
 */
export function excerpt(text: string, max = SNIPPET_MAX): string {
  let out = '';
  for (const ch of text) {
    const v = visible(ch);
    if (out.length + v.length > max - 1) return `${out}…`;
    out += v;
  }
  return out;
}

/** {@link excerpt} in single quotes. */
export const snippet = (text: string, max = SNIPPET_MAX): string => `'${excerpt(text, max)}'`;

/** Names from a file (a header's columns), each quoted, listed up to about `max` characters in all. */
export function quotedList(names: readonly string[], max = SNIPPET_MAX): string {
  const parts: string[] = [];
  let length = 0;
  for (const [i, name] of names.entries()) {
    const q = snippet(name, 40);
    if (parts.length > 0 && length + q.length > max) return `${parts.join(', ')}, … (${names.length - i} more)`;
    parts.push(q);
    length += q.length + 2;
  }
  return parts.join(', ');
}

/**
 * A failure message as stored in run.json: whatever a library put in it, control characters other than line
 * breaks escaped and the whole cut to `max` characters. Messages built here quote files through {@link snippet};
 * this is the net under messages built elsewhere.
 */
export function sanitiseMessage(message: string, max = 2000): string {
  return message
    .split('\n')
    .map((line) => excerpt(line, max))
    .join('\n')
    .slice(0, max);
}
