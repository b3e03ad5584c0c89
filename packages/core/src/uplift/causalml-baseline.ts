/**
 * The two random baselines CausalML has used for its Qini score (and its charts' chance level):
 * - `'line'` — current releases: the straight line from the curve's first point to its last,
 *   one value per curve point (numpy `linspace(first, last, n + 1)`). The first point is the prepended 0, so
 *   the line is k·last/n. `qini_score` subtracts its sum.
 * - `'random10'` — older releases: the mean curve of ten random orderings (numpy MT19937 seeded 42,
 *   `rand(n)` ten times); see `causalmlRandomCurve`.
 * 'line' is the default because it is what the library computes today; 'random10' stays so that numbers
 * published with an older release can still be reproduced.
 */
export type CausalmlBaseline = 'line' | 'random10';

/** The baselines by name, for option parsing. */
export const CAUSALML_BASELINES: readonly CausalmlBaseline[] = ['line', 'random10'];

/** Throws on anything but a known baseline name (options may come from untyped JSON or the CLI). */
export function checkCausalmlBaseline(b: unknown): CausalmlBaseline {
  if (b === 'line' || b === 'random10') return b;
  throw new Error(`unknown CausalML baseline ${String(b)}: expected ${CAUSALML_BASELINES.join(' or ')}`);
}

/**
 * numpy's `linspace(first, last, points)`: first + k·step with step = (last − first)/(points − 1), the final
 * value set to `last` exactly (numpy does the same, so the line ends where the curve ends bit for bit).
 */
export function linspace(first: number, last: number, points: number): Float64Array {
  const out = new Float64Array(points);
  if (points === 0) return out;
  const step = points > 1 ? (last - first) / (points - 1) : 0;
  for (let k = 0; k < points; k++) out[k] = first + k * step;
  out[points - 1] = last;
  if (points === 1) out[0] = first;
  return out;
}

/** The 'line' baseline of a (possibly normalised) curve: from its first point to its last. */
export function lineBaseline(curve: Float64Array): Float64Array {
  return linspace(curve[0]!, curve[curve.length - 1]!, curve.length);
}
