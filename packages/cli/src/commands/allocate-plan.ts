import type { ModelVersion } from '@bidfcl/contracts';
import { FeatureEncodingError } from '@bidfcl/core';
import { NotFoundError, planAllocation, type AllocationPlan, type ArtefactStore } from '@bidfcl/io';
import { expandTableSource, sourceAccess, type RuntimeEnv } from '@bidfcl/runtime';

import { usageError } from '../cli-error.js';

/**
 * The allocator's check and split of the users (planAllocation), before anything is enqueued: bad input is a
 * usage error (exit 2) naming the file, column or row.
 */
export async function planCliAllocation(
  usersSource: string,
  version: ModelVersion,
  userIdColumn: string,
  shards: number | undefined,
  store: ArtefactStore,
  env: RuntimeEnv,
): Promise<AllocationPlan & { sources: string[] }> {
  let sources: string[];
  try {
    sources = await expandTableSource(usersSource, store, env);
  } catch (err) {
    throw usageError(`--users ${usersSource}: ${(err as Error).message}`);
  }
  if (sources.length === 0) throw usageError(`--users ${usersSource}: no .parquet or .csv files there`);
  try {
    return { sources, ...(await planAllocation(sources, version, userIdColumn, shards, store, sourceAccess(env))) };
  } catch (err) {
    if (err instanceof FeatureEncodingError)
      throw usageError(`${err.message} (model ${version.model}@${version.version})`);
    if (err instanceof NotFoundError) throw usageError(`--users: ${err.message}`);
    throw err;
  }
}
