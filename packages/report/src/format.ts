/**
 * Number formatting shared by the tables (and the tests, which check the tables show exactly these strings).
 * Missing or non-finite values print as an em dash so a gap is visible instead of "NaN".
 */

/** Placeholder for a value the run did not produce. */
export const MISSING = '—';

/** Fixed decimals; `MISSING` when absent or not finite. */
export function fixed(value: number | undefined, decimals: number): string {
  if (value === undefined || !Number.isFinite(value)) return MISSING;
  const text = value.toFixed(decimals);
  // "-0.0000" reads like a real negative number; print it as zero.
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** Ratios to tsm-rct (paper convention: tsm-rct = 1.0000). */
export function ratio(value: number | undefined): string {
  return fixed(value, 4);
}

/** Oracle capture, AUCC, Qini: shares of a range, three decimals. */
export function share(value: number | undefined): string {
  return fixed(value, 3);
}

/** Raw amounts (revenue, cost, λ, budget) whose scale depends on the data: four significant digits. */
export function amount(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return MISSING;
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  // Large amounts keep their integer digits rather than switching to exponent notation.
  if (magnitude >= 1e4) return fixed(value, 0);
  if (magnitude < 1e-3) return value.toExponential(2);
  return fixed(Number(value.toPrecision(4)), Math.max(0, 3 - Math.floor(Math.log10(magnitude))));
}

/** A budget fraction as a percentage of the random assignment's cost, e.g. 0.25 → "25%". */
export function percent(fraction: number): string {
  if (!Number.isFinite(fraction)) return MISSING;
  const rounded = Math.round(fraction * 1000) / 10;
  return Number.isInteger(rounded) ? `${rounded}%` : `${rounded.toFixed(1)}%`;
}

/** Training time in seconds, one decimal. */
export function seconds(value: number | undefined): string {
  return fixed(value, 1);
}
