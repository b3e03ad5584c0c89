import { createHash } from 'node:crypto';
import type { RawTable } from '../table/raw-table.js';
import { readParquet } from '../table/parquet.js';

/** sha256 of "user_id\tarm_index\n" in user-id order (code-unit order): equal for equal decisions, however sharded. */
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

const numbers = (t: RawTable, name: string, what: string) => {
  const c = t.columns.get(name);
  if (c?.kind !== 'number') throw new Error(`${what}: no numeric column ${name}`);
  return c.values;
};

/** Reads a decisions part (as allocate.assign writes it); a missing column is an error naming the file. */
export function readDecisionsPart(bytes: Uint8Array, what: string): DecisionsPart {
  const table = readParquet(bytes, what);
  const user = table.columns.get('user_id');
  if (user?.kind !== 'string') throw new Error(`${what}: no user_id column`);
  return {
    userIds: user.values,
    armIndex: numbers(table, 'arm_index', what),
    predictedRevenue: numbers(table, 'predicted_revenue', what),
    predictedUpliftRevenue: numbers(table, 'predicted_uplift_revenue', what),
  };
}
