/**
 * Key checks shared by every store. Keys come from contracts' key builders, but a store is also a security
 * boundary for LocalStore (a key must never name a file outside its root), so both stores apply the same
 * rules and behave identically.
 */

function problem(s: string, allowTrailingSlash: boolean): string | undefined {
  if (s.includes('\0')) return 'contains a NUL character';
  if (s.includes('\\')) return "contains a backslash (use '/' to separate segments)";
  if (s.startsWith('/')) return "is absolute (starts with '/')";
  if (/^[A-Za-z]:/.test(s)) return 'starts with a drive letter';
  const segments = s.split('/');
  if (allowTrailingSlash && segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  for (const seg of segments) {
    if (seg === '') return "has an empty segment ('//' or a trailing '/')";
    if (seg === '.' || seg === '..') return `has a '${seg}' segment`;
  }
  return undefined;
}

/** Throws when `key` is not a safe, relative, '/'-separated object key. */
export function assertValidKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0) throw new Error('invalid artefact key: empty');
  const p = problem(key, false);
  if (p)
    throw new Error(`invalid artefact key '${key}': it ${p}; keys are relative '/'-separated paths inside the store`);
  return key;
}

/** Like {@link assertValidKey} but '' (everything) and a trailing '/' are allowed. */
export function assertValidPrefix(prefix: string): string {
  if (typeof prefix !== 'string') throw new Error('invalid artefact prefix: not a string');
  if (prefix === '') return prefix;
  const p = problem(prefix, true);
  if (p) throw new Error(`invalid artefact prefix '${prefix}': it ${p}`);
  return prefix;
}

/** A prefix naming a "directory": '' (the top) or one ending in '/'. */
export function assertDirPrefix(prefix: string): string {
  assertValidPrefix(prefix);
  if (prefix !== '' && !prefix.endsWith('/'))
    throw new Error(
      `invalid artefact prefix '${prefix}': listing the names below a prefix needs '' or a prefix ending in '/'`,
    );
  return prefix;
}

/** Code-unit order, the same order S3 uses for ASCII keys; both stores sort list() results with it. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
