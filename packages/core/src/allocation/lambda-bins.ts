/**
 * The fixed λ bins of the coarse round (docs/method.md §7), the same for every shard.
 *
 * Bins are quasi-logarithmic: 32 per octave between 2^LAMBDA_MIN_EXP and 2^LAMBDA_MAX_EXP, with edges
 * 2^e · (1 + k/32), so a bin spans a factor between 1.016 and 1.031 of λ. The bin of λ is read from the
 * bits of the double (exponent and top 5 mantissa bits), which are monotone in λ for λ ≥ 0: no logarithm is
 * computed, every edge is an exact double, and a breakpoint equal to an edge always falls in the bin that
 * starts there. Two overflow bins take the rest: bin 0 holds [0, 2^LAMBDA_MIN_EXP) (zero slopes included) and
 * the last bin [2^LAMBDA_MAX_EXP, +∞] (slopes that overflowed to +∞ included).
 */

/** Sub-bins per octave, as bits of the mantissa. */
const SUB_BITS = 5;
/** λ below 2^LAMBDA_MIN_EXP goes to the underflow bin 0. */
export const LAMBDA_MIN_EXP = -64;
/** λ at or above 2^LAMBDA_MAX_EXP goes to the overflow bin (the last one). */
export const LAMBDA_MAX_EXP = 64;
/** Number of bins, the two overflow bins included. */
export const LAMBDA_BINS = ((LAMBDA_MAX_EXP - LAMBDA_MIN_EXP) << SUB_BITS) + 2;

const SHIFT = 20 - SUB_BITS; // the high word holds 11 exponent bits, then 20 mantissa bits
const KEY_MIN = (LAMBDA_MIN_EXP + 1023) << SUB_BITS;
const KEY_MAX = (LAMBDA_MAX_EXP + 1023) << SUB_BITS;

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The bin of λ ≥ 0 (+∞ included): 0 … LAMBDA_BINS − 1, non-decreasing in λ. */
export function lambdaBin(lambda: number): number {
  F64[0] = lambda;
  const key = U32[HI]! >>> SHIFT; // sign bit is 0 for λ ≥ 0
  if (key < KEY_MIN) return 0;
  if (key >= KEY_MAX) return LAMBDA_BINS - 1;
  return key - KEY_MIN + 1;
}

/** The bin's λ range [lower, upper): the overflow bin's upper edge is +∞ (and it holds +∞ itself). */
export function lambdaBinEdges(bin: number): { lower: number; upper: number } {
  if (!(Number.isInteger(bin) && bin >= 0 && bin < LAMBDA_BINS)) throw new Error(`lambdaBinEdges: bad bin ${bin}`);
  const edge = (b: number): number => {
    if (b <= 0) return 0;
    if (b >= LAMBDA_BINS) return Infinity;
    F64[0] = 0;
    U32[HI] = (KEY_MIN + b - 1) << SHIFT;
    return F64[0];
  };
  return { lower: edge(bin), upper: edge(bin + 1) };
}
