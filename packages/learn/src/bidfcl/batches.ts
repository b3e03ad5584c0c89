import { createRng } from '@bidfcl/core';

/** Rows of the batches one hypergradient uses. */
export interface HypergradBatches {
  /** k look-ahead batches of lower-level rows (the last one also serves the CG products). */
  obs: Int32Array[];
  /** One RCT batch for ∇θ L_up. */
  rct: Int32Array;
}

/** Seeds that fix a hypergradient's batches (the trainer derives them from its seed and the step). */
export interface HypergradSeeds {
  obsBatchSeed: number;
  rctBatchSeed: number;
}

/** `count` rows drawn without replacement (across successive seeded permutations when count > n). */
function drawRows(n: number, count: number, seed: number): Int32Array {
  const rng = createRng(seed);
  const out = new Int32Array(count);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  let filled = 0;
  while (filled < count) {
    rng.shuffle(perm);
    const take = Math.min(n, count - filled);
    out.set(perm.subarray(0, take), filled);
    filled += take;
  }
  return out;
}

/**
 * The batches of one hypergradient as a pure function of table sizes and seeds, so that a hypergradient worker
 * holding its own copy of the data computes exactly what the in-process trainer would: k disjoint
 * lower-level batches of `batchSize` rows (fewer rows than k·batchSize: reused across permutations) and one RCT
 * batch of min(rctBatchSize, rctRows) rows.
 */
export function selectHypergradBatches(
  sizes: { lowerRows: number; rctRows: number },
  seeds: HypergradSeeds,
  opts: { k: number; batchSize: number; rctBatchSize: number },
): HypergradBatches {
  const { lowerRows, rctRows } = sizes;
  if (!(lowerRows > 0 && rctRows > 0))
    throw new Error(`selectHypergradBatches: empty table (lower ${lowerRows}, rct ${rctRows} rows)`);
  const b = Math.min(opts.batchSize, lowerRows);
  const rows = drawRows(lowerRows, opts.k * b, seeds.obsBatchSeed);
  const obs: Int32Array[] = [];
  for (let s = 0; s < opts.k; s++) obs.push(rows.slice(s * b, (s + 1) * b));
  return { obs, rct: drawRows(rctRows, Math.min(opts.rctBatchSize, rctRows), seeds.rctBatchSeed) };
}
