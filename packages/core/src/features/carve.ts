import type { RunConfig, Split } from '@bidfcl/contracts';
import { createRng, deriveSeed } from '../rng.js';

/**
 * Where the rows of one input part go, as one 0/1 mask per destination split (every row in exactly one).
 * RCT rows are carved into val and test when the dataset gives no such split: each row draws u ~ U[0, 1)
 * from a stream seeded by the run seed and the part index, and goes to test when u < testFraction, to val
 * when u < testFraction + valFraction, else stays in rct. Every other split keeps all its rows.
 */
export function carveDestinations(
  config: Pick<RunConfig, 'seed' | 'dataset'>,
  split: Split,
  part: number,
  n: number,
): Partial<Record<Split, Uint8Array>> {
  const spec = config.dataset;
  const carveVal = split === 'rct' && spec.splits.val.length === 0;
  const carveTest = split === 'rct' && spec.splits.test.length === 0;
  if (!carveVal && !carveTest) return { [split]: new Uint8Array(n).fill(1) };
  const rng = createRng(deriveSeed(config.seed, 'carve', part));
  const dest: Partial<Record<Split, Uint8Array>> = { rct: new Uint8Array(n) };
  if (carveVal) dest.val = new Uint8Array(n);
  if (carveTest) dest.test = new Uint8Array(n);
  const testCut = carveTest ? spec.testFraction : 0;
  const valCut = testCut + (carveVal ? spec.valFraction : 0);
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    const to: Split = u < testCut ? 'test' : u < valCut ? 'val' : 'rct';
    dest[to]![i] = 1;
  }
  return dest;
}
