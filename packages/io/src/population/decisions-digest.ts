import { createHash } from 'node:crypto';
import type { RangeReader } from '../store/artefact-store.js';
import { openParquetRowGroups, type ParquetRowGroups } from '../table/parquet-row-groups.js';
import { writeParquet } from '../table/parquet.js';

/**
 * Rows per row group of a digest part: the k-way merge holds one group per shard (a few MB of ids each), so
 * finalize's memory is bounded by the number of shards, not by the population (issue 9 §4).
 */
export const DIGEST_GROUP_ROWS = 1 << 16;

/** Code-unit order, the order decisionsSha256 hashes users in. */
const byId = (ids: readonly string[]) => (a: number, b: number) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0);

/**
 * A shard's digest input, written by allocate.assign beside its decisions: (user_id, arm_index) sorted by user id,
 * in row groups of DIGEST_GROUP_ROWS, so that finalize can merge the shards into decisionsSha256's order.
 */
export function digestPart(
  userIds: readonly string[],
  arms: ArrayLike<number>,
  groupRows = DIGEST_GROUP_ROWS,
): Uint8Array {
  const order = Uint32Array.from({ length: userIds.length }, (_, i) => i).sort(byId(userIds));
  const ids = Array.from(order, (i) => userIds[i]!);
  const armIndex = Int32Array.from(order, (i) => arms[i]!);
  return writeParquet({ user_id: ids, arm_index: armIndex }, { rowGroupRows: groupRows });
}

/** One shard's digest part being read group by group. */
interface Cursor {
  file: ParquetRowGroups;
  what: string;
  group: number;
  ids: string[];
  arms: Float64Array;
  at: number;
}

/** Loads the cursor's next non-empty row group; false at the end of the file. */
async function advance(c: Cursor): Promise<boolean> {
  while (c.at >= c.ids.length) {
    if (c.group >= c.file.groupRows.length) return false;
    const t = await c.file.read(c.group, c.group);
    c.group++;
    const ids = t.columns.get('user_id');
    const arms = t.columns.get('arm_index');
    if (ids?.kind !== 'string' || arms?.kind !== 'number') throw new Error(`${c.what}: not a decisions digest part`);
    [c.ids, c.arms, c.at] = [ids.values, arms.values, 0];
  }
  return true;
}

/**
 * decisionsSha256 of every shard's decisions, from their digest parts by a streaming k-way merge (a binary heap
 * of shard cursors on their current user id): the same bytes hashed in the same order, however sharded, with one
 * row group per shard in memory.
 */
export async function mergedDecisionsSha256(parts: readonly { reader: RangeReader; what: string }[]): Promise<string> {
  const heap: Cursor[] = [];
  for (const p of parts) {
    const file = await openParquetRowGroups(p.reader, p.what);
    const c: Cursor = { file, what: p.what, group: 0, ids: [], arms: new Float64Array(0), at: 0 };
    if (await advance(c)) heap.push(c);
  }
  const less = (a: Cursor, b: Cursor) => a.ids[a.at]! < b.ids[b.at]!;
  const down = (k: number) => {
    for (;;) {
      const l = 2 * k + 1;
      const m = l + 1 < heap.length && less(heap[l + 1]!, heap[l]!) ? l + 1 : l;
      if (l >= heap.length || !less(heap[m]!, heap[k]!)) return;
      [heap[k], heap[m]] = [heap[m]!, heap[k]!];
      k = m;
    }
  };
  for (let k = (heap.length >> 1) - 1; k >= 0; k--) down(k);
  const h = createHash('sha256');
  let lines: string[] = [];
  while (heap.length > 0) {
    const c = heap[0]!;
    lines.push(`${c.ids[c.at]}\t${c.arms[c.at]}\n`);
    if (lines.length === 4096) {
      h.update(lines.join(''));
      lines = [];
    }
    c.at++;
    if (!(await advance(c))) {
      heap[0] = heap[heap.length - 1]!;
      heap.pop();
    }
    down(0);
  }
  h.update(lines.join(''));
  return h.digest('hex');
}
