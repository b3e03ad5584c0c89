import type { StageRecord } from '@bidfcl/contracts';
import { stageOfJob } from './run-store.js';

/**
 * BullMQ fails a parent whose child failed with `child <prefix>:<queue>:<jobId> failed`: the job id of the
 * child, or undefined for a failure of the job's own. Job ids hold no ':' (ids are safe ids joined by '.').
 */
export function failedChildJobId(error: string | undefined): string | undefined {
  const m = /^child (\S+) failed$/.exec(error ?? '');
  return m ? m[1]!.slice(m[1]!.lastIndexOf(':') + 1) : undefined;
}

/**
 * The failure a failed run is reported with: the earliest failed stage that failed of its own accord. A parent
 * failed by its child (allocate by train, evaluate by allocate) is a consequence, and its record may well be
 * written before its child's (they are recorded by different workers): then the chain of children is followed to
 * name the stage that broke, even before that stage's own record arrives.
 */
export function runFailure(
  runId: string,
  stages: Record<string, StageRecord>,
): { stage: string; message: string } | undefined {
  const failed = Object.values(stages)
    .filter((s) => s.status === 'failed')
    .sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''));
  const own = failed.find((s) => !failedChildJobId(s.error));
  if (own) return { stage: own.stage, message: own.error ?? 'failed' };
  const first = failed[0];
  if (!first) return undefined;
  let stage = first.stage;
  let message = first.error ?? 'failed';
  // Bounded: a flow is a tree a few levels deep; the bound only guards against a malformed record cycle.
  for (let depth = 0; depth < 10; depth++) {
    const child = failedChildJobId(message);
    if (!child) break;
    stage = stageOfJob(runId, child);
    message = stages[stage]?.error ?? `failed (its own record is not written yet; ${message})`;
  }
  return { stage, message };
}
