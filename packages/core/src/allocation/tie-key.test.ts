import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.js';
import { TIE_KEY_LIMIT, tieKeyOf, tieKeysOf } from './tie-key.js';

/** FNV-1a 64 over UTF-8 bytes with BigInt arithmetic: the reference. */
function fnv1a64(s: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(s)) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h;
}

describe('tieKeyOf', () => {
  it('is FNV-1a 64 (published test vectors) cut to 53 bits', () => {
    const low53 = (h: bigint) => Number(h & ((1n << 53n) - 1n));
    expect(tieKeyOf('')).toBe(low53(0xcbf29ce484222325n));
    expect(tieKeyOf('a')).toBe(low53(0xaf63dc4c8601ec8cn));
    expect(tieKeyOf('foobar')).toBe(low53(0x85944171f73967e8n));
  });

  it('matches the BigInt reference on random ids, multi-byte characters included', () => {
    const rng = createRng(4);
    const alphabet = ['a', 'Z', '0', '-', 'é', 'ß', '中', '€', '😀', '𝄞'];
    for (let t = 0; t < 500; t++) {
      const id = Array.from({ length: rng.int(20) }, () => alphabet[rng.int(alphabet.length)]!).join('');
      const key = tieKeyOf(id);
      expect(key).toBe(Number(fnv1a64(id) & ((1n << 53n) - 1n)));
      expect(Number.isInteger(key) && key >= 0 && key < TIE_KEY_LIMIT).toBe(true);
    }
  });

  it('gives distinct keys to a million sequential ids, in a Float64Array', () => {
    const ids = Array.from({ length: 1_000_000 }, (_, i) => `user-${i}`);
    const keys = tieKeysOf(ids);
    expect(keys).toBeInstanceOf(Float64Array);
    expect(new Set(keys).size).toBe(ids.length);
  });
});
