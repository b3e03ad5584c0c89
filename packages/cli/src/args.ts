import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './cli-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The values parseArgs yields for an options table. */
export type ParsedValues<O extends Options> = {
  [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : O[K] extends { multiple: true } ? string[] : string;
};

/** parseArgs with strict checking, turning its errors into usage errors (exit 2). */
export function parse<O extends Options>(
  argv: string[],
  options: O,
  allowPositionals = false,
): { values: ParsedValues<O>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals, strict: true });
    return { values: values as ParsedValues<O>, positionals };
  } catch (err) {
    throw usageError((err as Error).message);
  }
}

export function intOption(value: string | undefined, name: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw usageError(`--${name} must be an integer ≥ ${min}, got '${value}'`);
  return n;
}

/** `key=value` pairs (`--set a.b=3`) into a nested object; values parse as JSON when they can (numbers, lists). */
export function parseSets(sets: string[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of sets ?? []) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw usageError(`--set expects key=value, got '${s}'`);
    const path = s.slice(0, eq).split('.');
    const raw = s.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      /* a plain string */
    }
    let node = out;
    path.slice(0, -1).forEach((p) => {
      node[p] = typeof node[p] === 'object' && node[p] !== null ? node[p] : {};
      node = node[p] as Record<string, unknown>;
    });
    node[path.at(-1)!] = value;
  }
  return out;
}

/** Deep merge of plain objects (arrays and scalars in `b` replace those in `a`). */
export function deepMerge(a: unknown, b: unknown): unknown {
  if (
    typeof a !== 'object' ||
    a === null ||
    Array.isArray(a) ||
    typeof b !== 'object' ||
    b === null ||
    Array.isArray(b)
  )
    return b;
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, v] of Object.entries(b as Record<string, unknown>)) out[k] = k in out ? deepMerge(out[k], v) : v;
  return out;
}

/** Prints text and returns exit status 0 (for --help and --json answers). */
export function printed(text: string): number {
  console.log(text);
  return 0;
}
