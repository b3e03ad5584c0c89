/**
 * Tie keys: a stable number per user that orders users whose upgrades coincide at λ* (docs/method.md §7).
 * It must come from the user alone (never from a row position), so that the order, and with it every
 * user's arm, is the same however the population is split into shards.
 */

/** Tie keys are integers in [0, TIE_KEY_LIMIT): exactly representable in a Float64Array. */
export const TIE_KEY_LIMIT = 2 ** 53;

/**
 * The low 53 bits of the 64-bit FNV-1a hash of the UTF-8 bytes of `userId` (offset basis 0xcbf29ce484222325,
 * prime 2^40 + 0x1b3), as a non-negative integer. 53 bits keep collisions rare (about n²/2^54 expected pairs,
 * 0.6 % chance of any among 10 million ids); users whose keys collide are only ever upgraded together.
 */
export function tieKeyOf(userId: string): number {
  // 64-bit state as two 32-bit halves; products below 2^53 stay exact in doubles.
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  const step = (byte: number) => {
    lo = (lo ^ byte) >>> 0;
    // (hi · 2^32 + lo) · (2^40 + 0x1b3) mod 2^64
    const loProduct = lo * 0x1b3;
    const carry = Math.floor(loProduct / 4294967296);
    hi = (hi * 0x1b3 + carry + ((lo << 8) >>> 0)) >>> 0;
    lo = loProduct >>> 0;
  };
  for (let p = 0; p < userId.length; p++) {
    let u = userId.charCodeAt(p);
    if (u >= 0xd800 && u <= 0xdbff && p + 1 < userId.length) {
      const v = userId.charCodeAt(p + 1);
      if (v >= 0xdc00 && v <= 0xdfff) {
        u = 0x10000 + ((u - 0xd800) << 10) + (v - 0xdc00);
        p++;
      }
    }
    // UTF-8 encoding (a lone surrogate is encoded as its 3-byte form, like WTF-8).
    if (u < 0x80) step(u);
    else if (u < 0x800) {
      step(0xc0 | (u >>> 6));
      step(0x80 | (u & 0x3f));
    } else if (u < 0x10000) {
      step(0xe0 | (u >>> 12));
      step(0x80 | ((u >>> 6) & 0x3f));
      step(0x80 | (u & 0x3f));
    } else {
      step(0xf0 | (u >>> 18));
      step(0x80 | ((u >>> 12) & 0x3f));
      step(0x80 | ((u >>> 6) & 0x3f));
      step(0x80 | (u & 0x3f));
    }
  }
  return (hi & 0x1fffff) * 4294967296 + lo;
}

/** Tie keys of a list of user ids, in order. */
export function tieKeysOf(userIds: readonly string[]): Float64Array {
  const out = new Float64Array(userIds.length);
  for (let i = 0; i < userIds.length; i++) out[i] = tieKeyOf(userIds[i]!);
  return out;
}

/**
 * A shard's tie keys: an array, or a function of the user's index, so that a step which needs the keys of the few
 * users with an upgrade in λ*'s bin (the fine round, the assignment) hashes those ids only (docs/method.md §7).
 */
export type TieKeys = Float64Array | ((i: number) => number);

/** `keys` as a function of the user's index, checking an array's length against the shard's `n` users. */
export function tieKeyLookup(keys: TieKeys, n: number, what: string): (i: number) => number {
  if (typeof keys === 'function') return keys;
  if (keys.length !== n) throw new Error(`${what}: ${keys.length} tie keys for ${n} users`);
  return (i) => keys[i]!;
}
