import type { PopulationSummary } from '@bidfcl/contracts';
import { NotFoundError } from '@bidfcl/io';
import type { RuntimeContext } from './context.js';
import { failedChildJobId } from './run-failure.js';
import { readRunRecord, recordStage } from './run-store.js';

/** The stage a run with `allocate:` ends with: its population allocation (allocations/<runId>/). */
export const ALLOCATION_STAGE = 'allocation';

/** The allocation id of an allocation job's payload (allocate.scan/solve/assign/finalize), if any. */
export const allocationIdOfJob = (data: unknown): string | undefined => {
  const d = data as { allocationId?: unknown } | undefined;
  return typeof d?.allocationId === 'string' ? d.allocationId : undefined;
};

/**
 * Records how the population allocation of a run with `allocate:` ended, as the run's `allocation` stage, so
 * that the run succeeds only once summary.json exists and fails when the allocation does (issue 9 §3). The
 * allocation's jobs carry no run id (a `bidfcl allocate` has no run): an allocation whose id names no run, or a
 * run without `allocate:`, is left alone. A parent failed by its child is skipped: the child records the reason.
 */
export async function recordRunAllocation(
  ctx: RuntimeContext,
  allocationId: string,
  outcome: { status: 'succeeded'; summary: PopulationSummary } | { status: 'failed'; jobId: string; error: string },
): Promise<void> {
  if (outcome.status === 'failed' && failedChildJobId(outcome.error)) return;
  try {
    if (!(await readRunRecord(ctx, allocationId)).config.allocate) return;
  } catch (err) {
    if (err instanceof NotFoundError) return;
    throw err;
  }
  const finishedAt = new Date().toISOString();
  if (outcome.status === 'succeeded') {
    const summary = outcome.summary as unknown as Record<string, unknown>;
    const record = { stage: ALLOCATION_STAGE, status: 'succeeded' as const, finishedAt, artefacts: [], summary };
    await recordStage(ctx, allocationId, record, { status: 'succeeded' });
  } else {
    const { jobId, error } = outcome;
    const record = { stage: ALLOCATION_STAGE, status: 'failed' as const, jobId, finishedAt, artefacts: [], error };
    await recordStage(ctx, allocationId, record, { status: 'failed', error: `allocation ${allocationId}: ${error}` });
  }
}
