/**
 * Seeded pseudo-random numbers. Every random choice in the project takes a seed and draws from one of these
 * streams, so the same seed reproduces the same run on any machine (only 32-bit integer arithmetic and
 * IEEE doubles are involved, no platform-dependent state).
 *
 * Generator: xoshiro128** (128-bit state, period 2^128 − 1), state filled by splitmix32 from the seed.
 * 32-bit operations keep it fast in JavaScript (no BigInt).
 */

/** A deterministic random stream. */
export interface Rng {
  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number;
  /** Standard normal N(0, 1) (Box–Muller; the second variate of each pair is cached). */
  normal(): number;
  /** Uniform integer in 0..n−1 (n ≥ 1). */
  int(n: number): number;
  /** In-place Fisher–Yates shuffle. */
  shuffle<T>(a: T[] | Int32Array): void;
}

/** splitmix32 step: a well-mixed 32-bit output for each increment of the state. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** 32-bit finaliser (murmur3 fmix32): spreads every input bit over the output. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Folds any finite number (negative, > 2^32, fractional) into 32 bits without losing its distinctness. */
function foldNumber(x: number): number {
  if (!Number.isFinite(x)) throw new Error(`seed must be finite, got ${x}`);
  if (Number.isInteger(x) && Math.abs(x) <= Number.MAX_SAFE_INTEGER) {
    const lo = x >>> 0;
    const hi = Math.floor(x / 4294967296) >>> 0;
    return fmix32(lo ^ fmix32(hi + 0x632be5ab));
  }
  // Non-integers: hash the IEEE bits.
  const f = new Float64Array([x]);
  const u = new Uint32Array(f.buffer);
  return fmix32(u[0]! ^ fmix32(u[1]! + 0x1b873593));
}

/** Creates a deterministic stream from any finite number. */
export function createRng(seed: number): Rng {
  const init = { s: foldNumber(seed) };
  let s0 = splitmix32(init);
  let s1 = splitmix32(init);
  let s2 = splitmix32(init);
  let s3 = splitmix32(init);
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the all-zero state is a fixed point

  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };

  let spare = 0;
  let hasSpare = false;

  const next = (): number => {
    const a = nextU32() >>> 5; // 27 bits
    const b = nextU32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  };

  return {
    next,
    normal(): number {
      if (hasSpare) {
        hasSpare = false;
        return spare;
      }
      const u1 = 1 - next(); // (0, 1]: log stays finite
      const u2 = next();
      const radius = Math.sqrt(-2 * Math.log(u1));
      const angle = 2 * Math.PI * u2;
      spare = radius * Math.sin(angle);
      hasSpare = true;
      return radius * Math.cos(angle);
    },
    int(n: number): number {
      if (!(n >= 1) || !Number.isInteger(n)) throw new Error(`int(n) needs an integer n ≥ 1, got ${n}`);
      // 53-bit uniform × n: the bias is below n / 2^53, negligible for any array size.
      return Math.floor(next() * n);
    },
    shuffle<T>(a: T[] | Int32Array): void {
      for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = a[i]!;
        a[i] = a[j]!;
        a[j] = tmp;
      }
    },
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** FNV-1a over a string's UTF-16 code units, then finalised. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/**
 * Derives an independent seed from a base seed and labels, e.g. `deriveSeed(seed, 'split', 'rct')` or
 * `deriveSeed(seed, 'epoch', 3)`. Different label lists give unrelated streams; the result is a uint32.
 * Strings and numbers are tagged so that `('1')` and `(1)` differ.
 */
export function deriveSeed(seed: number, ...parts: (string | number)[]): number {
  let h = foldNumber(seed);
  for (const part of parts) {
    const tagged = typeof part === 'string' ? hashString(part) ^ 0x5bd1e995 : foldNumber(part) ^ 0x27d4eb2f;
    h = fmix32((Math.imul(h, 0x9e3779b1) ^ tagged) + 0x165667b1);
  }
  return h >>> 0;
}
