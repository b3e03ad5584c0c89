/**
 * Mersenne Twister MT19937 (Matsumoto & Nishimura 1998) seeded the way numpy's legacy
 * `np.random.seed(int)` seeds it, with numpy's 53-bit `random_sample` doubles. CausalML draws the random
 * baseline of its curves from `np.random.seed(42); np.random.rand(n)` (ten times); reproducing that stream
 * makes this library's "Random" curve the same one CausalML plots, not merely a similar one.
 * This generator exists only for that compatibility; the project's own randomness comes from ../rng.ts.
 */
export class Mt19937 {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  /** @param seed integer in [0, 2^32) — numpy's range for a legacy integer seed. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new Error(`MT19937 seed must be an integer in [0, 2^32), got ${seed}`);
    }
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = mt[i - 1]!;
      // Knuth's multiplier; Math.imul keeps the product modulo 2^32 exactly.
      mt[i] = (Math.imul(1812433253, (prev ^ (prev >>> 30)) >>> 0) + i) >>> 0;
    }
  }

  /** Regenerates the 624-word state block. */
  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < 624; i++) {
      const y = ((mt[i]! & 0x80000000) | (mt[(i + 1) % 624]! & 0x7fffffff)) >>> 0;
      let v = mt[(i + 397) % 624]! ^ (y >>> 1);
      if (y & 1) v ^= 0x9908b0df;
      mt[i] = v >>> 0;
    }
    this.index = 0;
  }

  /** Next tempered 32-bit output as an unsigned integer. */
  nextUint32(): number {
    if (this.index >= 624) this.twist();
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Uniform double in [0, 1) from two outputs (27 + 26 bits), as numpy's `random_sample`. */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }
}
