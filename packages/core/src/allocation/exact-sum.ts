/**
 * Exact sums of doubles (a fixed-point "long accumulator"), so that totals merged from shards do not depend on
 * how the users were split or in which order they were added (docs/method.md §7).
 *
 * Every finite double is M · 2^E with an integer |M| < 2^53 and E ≥ −1074, i.e. an integer multiple of
 * 2^−1074. An accumulator holds that integer in base 2^32 as LIMBS doubles: limb q weighs 2^(32q − 1074).
 * Adding a double touches 3 limbs, each by less than 2^32, so limbs stay exact integers (< 2^53) for 2^20
 * additions; after 2^19 carries are propagated (normalise) and every limb but the top one is back in [0, 2^32).
 * Sums are therefore exact: any order of the same additions gives the same limbs after normalising.
 */

/** Limbs per accumulator: 2^−1074 up to past 2^1024, plus headroom for carries and the sign. */
export const EXACT_LIMBS = 68;

const RADIX = 4294967296; // 2^32
const MAX_PENDING = 1 << 19;
const TOP = EXACT_LIMBS - 1;

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = 1 - LO;

/** 2^(32q − 1074) per limb (Infinity past the double range; only non-zero limbs are scaled). */
const WEIGHT = Float64Array.from({ length: EXACT_LIMBS }, (_, q) => 2 ** (32 * q - 1074));

/**
 * A set of `count` exact accumulators (e.g. one per histogram bin). Each one's limbs are allocated on its first
 * non-zero addition, so a set with thousands of mostly empty accumulators stays small.
 */
export class ExactSums {
  /** Limbs of each accumulator, undefined while it is zero. */
  private readonly accs: (Float64Array | undefined)[];
  /** Additions since accumulator k was last normalised. */
  private readonly pending: Uint32Array;
  /** A one-accumulator work space for comparisons (created on first use). */
  private work: ExactSums | undefined;

  constructor(readonly count: number) {
    this.accs = new Array<Float64Array | undefined>(count).fill(undefined);
    this.pending = new Uint32Array(count);
  }

  /**
   * Adds the finite double x to accumulator k, exactly. x = M · 2^(32L + o − 1074) with M = mHi · 2^32 + lo is
   * split into base-2^32 digits of M · 2^o: limb L gets the low 32 bits, L + 1 the next 32, L + 2 the rest.
   * (One function, no helper call: this is the hot path of the shard scan.)
   */
  add(k: number, x: number): void {
    F64[0] = x;
    const lo = U32[LO]!;
    const hi = U32[HI]!;
    const ex = (hi >>> 20) & 0x7ff;
    if (ex === 0x7ff) throw new Error(`ExactSums: cannot add a non-finite value (${x})`);
    const mHi = (hi & 0xfffff) | (ex === 0 ? 0 : 0x100000); // subnormals have no implicit leading 1
    if ((mHi | lo) === 0) return; // ±0
    const t = ex === 0 ? 0 : ex - 1; // x = (mHi · 2^32 + lo) · 2^(t − 1074)
    const o = t & 31;
    const at = t >>> 5;
    const sign = hi >>> 31 ? -1 : 1;
    // JavaScript masks shift counts to 5 bits, so ">>> 32" would be ">>> 0": o = 0 has no spill-over.
    const spillLo = o === 0 ? 0 : lo >>> (32 - o);
    const spillHi = o === 0 ? 0 : mHi >>> (32 - o);
    const limbs = this.accs[k] ?? this.allocate(k);
    limbs[at]! += sign * ((lo << o) >>> 0);
    limbs[at + 1]! += sign * (spillLo + ((mHi << o) >>> 0));
    limbs[at + 2]! += sign * spillHi;
    if (++this.pending[k]! >= MAX_PENDING) this.normalize(k);
  }

  /** Adds accumulator j of `other` (sign +1) or subtracts it (sign −1) into accumulator k, exactly. */
  addSum(k: number, other: ExactSums, j: number, sign: 1 | -1 = 1): void {
    const b = other.accs[j];
    if (!b) return;
    other.normalize(j);
    this.normalize(k);
    const a = this.accs[k] ?? this.allocate(k);
    for (let q = 0; q < EXACT_LIMBS; q++) a[q]! += sign * b[q]!;
    this.normalize(k);
  }

  /** Propagates carries (the value is unchanged): limbs below the top in [0, 2^32). */
  normalize(k: number): void {
    const a = this.accs[k];
    if (a) normalizeAt(a, 0);
    this.pending[k] = 0;
  }

  /**
   * A copy of accumulator k's normalised limbs (EXACT_LIMBS of them; limb q weighs 2^(32q − 1074)): the exact
   * value, e.g. to send it elsewhere.
   */
  limbsOf(k: number): Float64Array {
    this.normalize(k);
    return this.accs[k]?.slice() ?? new Float64Array(EXACT_LIMBS);
  }

  /**
   * The inverse of {@link limbsOf}: accumulator k becomes exactly the value those limbs hold (e.g. a sum sent by
   * another process). Limbs must be integers below 2^53 in magnitude, as limbsOf gives them.
   */
  setLimbs(k: number, limbs: ArrayLike<number>): void {
    if (limbs.length !== EXACT_LIMBS) throw new Error(`ExactSums: ${limbs.length} limbs, expected ${EXACT_LIMBS}`);
    const a = new Float64Array(EXACT_LIMBS);
    for (let q = 0; q < EXACT_LIMBS; q++) {
      const v = limbs[q]!;
      if (!Number.isSafeInteger(v)) throw new Error(`ExactSums: limb ${q} is not an exact integer (${v})`);
      a[q] = v;
    }
    this.accs[k] = a;
    this.normalize(k);
  }

  /** The sign (−1, 0 or 1) of (accumulator k − x), exactly. */
  compare(k: number, x: number): number {
    const w = (this.work ??= new ExactSums(1));
    w.accs[0] = this.limbsOf(k);
    w.pending[0] = 0;
    w.add(0, -x);
    w.normalize(0);
    return signAt(w.accs[0]);
  }

  /** Accumulator k as a double within a few units in the last place of the exact sum (for reporting). */
  toNumber(k: number): number {
    const s = this.limbsOf(k);
    const sign = signAt(s);
    if (sign < 0) {
      // Negative sums have a negative top limb over non-negative ones: scale the magnitude instead.
      for (let q = 0; q < EXACT_LIMBS; q++) s[q] = -s[q]!;
      normalizeAt(s, 0);
    }
    let sum = 0;
    for (let q = TOP; q >= 0; q--) {
      const v = s[q]!;
      if (v !== 0) sum += v * WEIGHT[q]!; // non-negative terms, largest first: off by a few ulps at most
    }
    return sign < 0 ? -sum : sum;
  }

  /** A copy of accumulator k as a new one-accumulator set. */
  extract(k: number): ExactSums {
    const out = new ExactSums(1);
    if (this.accs[k]) out.accs[0] = this.limbsOf(k);
    return out;
  }

  private allocate(k: number): Float64Array {
    const a = new Float64Array(EXACT_LIMBS);
    this.accs[k] = a;
    return a;
  }
}

function normalizeAt(limbs: Float64Array, off: number): void {
  let carry = 0;
  for (let q = 0; q < TOP; q++) {
    const v = limbs[off + q]! + carry; // an exact integer below 2^53
    carry = Math.floor(v / RADIX);
    limbs[off + q] = v - carry * RADIX;
  }
  limbs[off + TOP]! += carry;
}

/** Sign of normalised limbs: the top limb carries it; below it every limb is ≥ 0. */
function signAt(limbs: Float64Array): number {
  const top = limbs[TOP]!;
  if (top !== 0) return Math.sign(top);
  for (let q = 0; q < TOP; q++) if (limbs[q] !== 0) return 1;
  return 0;
}
