import type { FeatureTable } from '@bidfcl/contracts';
import type { Encoding } from './encode.js';

/** The numeric feature names of an encoding: the names before the `<col>=<value>` indicators. */
export function numericNamesOf(enc: Encoding): string[] {
  const indicators = Object.values(enc.vocab).reduce((s, v) => s + v.length, 0);
  return enc.featureNames.slice(0, enc.featureNames.length - indicators);
}

/**
 * Why a table encoded with `from` cannot be re-encoded for `to`, or undefined when it can: every numeric feature
 * and every categorical column `to` needs must be in `from` (a numeric value is recovered from its standardised
 * one; a categorical value from its indicator).
 */
export function encodingMismatch(from: Encoding, to: Encoding): string | undefined {
  const have = new Set(numericNamesOf(from));
  const missing = numericNamesOf(to).filter((n) => !have.has(n));
  const missingCat = Object.keys(to.vocab).filter((c) => !(c in from.vocab));
  if (missing.length === 0 && missingCat.length === 0) return undefined;
  const parts = [
    ...(missing.length ? [`numeric feature(s) ${missing.join(', ')}`] : []),
    ...(missingCat.length ? [`categorical column(s) ${missingCat.join(', ')}`] : []),
  ];
  return `the table lacks ${parts.join(' and ')}`;
}

/**
 * Re-encodes a standardised, one-hot feature table from one encoding to another, so that a model trained on
 * another run's encoding scores this run's rows as its own features would have: a numeric column is
 * un-standardised with `from`'s statistics and standardised with `to`'s (copied exactly when both agree); an
 * indicator `<col>=<value>` of `to` copies `from`'s indicator of the same name, and is 0 when `from` never saw
 * that value. The one loss: a value `from`'s training splits never saw was encoded as all zeros, so it reads as
 * unknown to `to` too, even when `to` knows it. Pure; rows, arms, outcomes and truth are shared, not copied.
 */
export function reencodeFeatures(table: FeatureTable, from: Encoding, to: Encoding): FeatureTable {
  const mismatch = encodingMismatch(from, to);
  if (mismatch) throw new Error(`cannot re-encode features: ${mismatch}`);
  if (from.featureNames.length !== table.d)
    throw new Error(`the table has ${table.d} features but its encoding names ${from.featureNames.length}`);
  const index = new Map(from.featureNames.map((n, k) => [n, k]));
  const toNumeric = numericNamesOf(to).length;
  const d = to.featureNames.length;
  const x = new Float32Array(table.n * d);
  to.featureNames.forEach((name, k) => {
    const src = index.get(name);
    if (src === undefined) return; // an indicator of a value `from` never saw: 0 for every row
    const same = k >= toNumeric || (from.mean[src] === to.mean[k] && from.std[src] === to.std[k]);
    const a = from.std[src]! / to.std[k]!;
    const b = (from.mean[src]! - to.mean[k]!) / to.std[k]!;
    for (let i = 0; i < table.n; i++) {
      const v = table.x[i * table.d + src]!;
      x[i * d + k] = same ? v : v * a + b;
    }
  });
  return { ...table, d, x };
}
