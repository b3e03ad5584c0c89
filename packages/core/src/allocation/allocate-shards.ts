import type { ScoreMatrix } from '@bidfcl/contracts';
import { assignShard } from './assign-shard.js';
import { listBinBreakpoints } from './bin-breakpoints.js';
import { mergeSummaries, scanShard } from './shard-scan.js';
import { coarseRound, fineRound, type AllocationThreshold } from './threshold.js';

/** One shard's input: its users' scores and tie keys (see tieKeyOf). */
export interface ShardInput {
  scores: ScoreMatrix;
  tieKeys: Float64Array;
}

/** The threshold and every shard's arms, in the shards' order. */
export interface ShardedAllocation {
  threshold: AllocationThreshold;
  assignments: Int32Array[];
}

/**
 * The whole sharded allocation in one process (docs/method.md §7): scan every shard, coarse round, fine round
 * over the one bin, assignment. What a distributed flow does step by step, and the reference it must match;
 * the result does not depend on how the users are split into shards.
 *
 * @param budget total money (not per user)
 */
export function allocateShards(shards: readonly ShardInput[], budget: number): ShardedAllocation {
  for (const [s, shard] of shards.entries()) {
    if (shard.tieKeys.length !== shard.scores.n) {
      throw new Error(`allocateShards: shard ${s} has ${shard.tieKeys.length} tie keys for ${shard.scores.n} users`);
    }
  }
  const m = shards[0]?.scores.m;
  if (shards.some((s) => s.scores.m !== m)) throw new Error('allocateShards: shards disagree on the number of arms');
  const scans = shards.map((s) => scanShard(s.scores));
  const coarse = coarseRound(mergeSummaries(scans.map((s) => s.summary)), budget);
  const threshold =
    coarse.kind === 'done'
      ? coarse.threshold
      : fineRound(
          coarse,
          shards.map((s, k) => listBinBreakpoints(s.scores, scans[k]!, s.tieKeys, coarse.bin)),
        );
  const assignments = shards.map((s, k) => assignShard(s.scores, scans[k]!.hulls, s.tieKeys, threshold));
  return { threshold, assignments };
}
