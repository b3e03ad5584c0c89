import { createHash } from 'node:crypto';
import { keys } from '@bidfcl/contracts';
import type { ArtefactStore, RangeReader } from '../store/artefact-store.js';
import type { RawTable } from '../table/raw-table.js';
import { readParquet } from '../table/parquet.js';
import { mergedDecisionsSha256 } from './decisions-digest.js';

/**
 * sha256 of "user_id\tarm_index\n" in user-id order (code-unit order): equal for equal decisions, however sharded.
 * The definition, on ids in memory; finalize computes the same bytes by merging sorted parts (mergedDecisionsSha256).
 */
export function decisionsSha256(userIds: readonly string[], arms: ArrayLike<number>): string {
  const order = Array.from(userIds.keys()).sort((a, b) => (userIds[a]! < userIds[b]! ? -1 : 1));
  const h = createHash('sha256');
  for (const i of order) h.update(`${userIds[i]}\t${arms[i]}\n`);
  return h.digest('hex');
}

/** The columns of a decisions part that an allocation's summary adds up. */
export interface DecisionsPart {
  userIds: string[];
  armIndex: Float64Array;
  predictedRevenue: Float64Array;
  predictedUpliftRevenue: Float64Array;
}

/** A numeric column of a table read from `what`; a missing or non-numeric one is an error naming both. */
export function numericColumnOf(t: RawTable, name: string, what: string): Float64Array {
  const c = t.columns.get(name);
  if (c?.kind !== 'number') throw new Error(`${what}: no numeric column ${name}`);
  return c.values;
}

/** Reads a decisions part (as allocate.assign writes it); a missing column is an error naming the file. */
export function readDecisionsPart(bytes: Uint8Array, what: string): DecisionsPart {
  const table = readParquet(bytes, what);
  const user = table.columns.get('user_id');
  if (user?.kind !== 'string') throw new Error(`${what}: no user_id column`);
  return {
    userIds: user.values,
    armIndex: numericColumnOf(table, 'arm_index', what),
    predictedRevenue: numericColumnOf(table, 'predicted_revenue', what),
    predictedUpliftRevenue: numericColumnOf(table, 'predicted_uplift_revenue', what),
  };
}

/** What allocate.finalize adds up over the published decisions parts (see publishDecisions). */
export interface PublishedDecisions {
  users: number;
  /** Users per arm index. */
  counts: number[];
  revenue: number;
  uplift: number;
  /** The published parts' keys, in shard order. */
  decisions: string[];
  sha256: string;
}

/**
 * Copies each shard's staged decisions part to allocations/<id>/decisions/ (one part in memory at a time), adds
 * up arm counts and predicted revenue, and computes decisionsSha256 by merging the shards' sorted digest parts
 * (one row group per shard in memory): memory bounded by the shard, not the population (issue 9 §4).
 */
export async function publishDecisions(
  store: ArtefactStore,
  allocationId: string,
  shards: number,
  arms: number,
): Promise<PublishedDecisions> {
  const out: PublishedDecisions = {
    users: 0,
    counts: new Array<number>(arms).fill(0),
    revenue: 0,
    uplift: 0,
    decisions: [],
    sha256: '',
  };
  for (let s = 0; s < shards; s++) {
    const staged = keys.allocationStagedDecisions(allocationId, s);
    const bytes = await store.get(staged);
    const part = readDecisionsPart(bytes, store.describe(staged));
    for (let i = 0; i < part.userIds.length; i++) {
      out.counts[part.armIndex[i]!]! += 1;
      out.revenue += part.predictedRevenue[i]!;
      out.uplift += part.predictedUpliftRevenue[i]!;
    }
    out.users += part.userIds.length;
    const key = keys.allocationDecisions(allocationId, s);
    await store.put(key, bytes);
    out.decisions.push(key);
  }
  const digests: { reader: RangeReader; what: string }[] = [];
  try {
    for (let s = 0; s < shards; s++) {
      const key = keys.allocationStagedDigest(allocationId, s);
      digests.push({ reader: await store.openRange(key), what: store.describe(key) });
    }
    out.sha256 = await mergedDecisionsSha256(digests);
  } finally {
    await Promise.all(digests.map((d) => d.reader.close()));
  }
  return out;
}
