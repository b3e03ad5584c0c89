import { isSubstep, type JobName } from '@bidfcl/contracts';
import type { RuntimeContext } from './context.js';
import { recordStage, stageOfJob } from './run-store.js';

/** The run id of a catalog job: every payload carries one. */
export const runIdOfJob = (data: unknown): string | undefined => {
  const d = data as { runId?: unknown } | undefined;
  return typeof d?.runId === 'string' ? d.runId : undefined;
};

/** Artefact keys mentioned in a result (strings and string arrays that look like store keys). */
function artefactsIn(result: unknown): string[] {
  if (!result || typeof result !== 'object') return [];
  return Object.values(result as Record<string, unknown>)
    .flatMap((v) => (Array.isArray(v) ? v : [v]))
    .filter((v): v is string => typeof v === 'string' && /^(runs|datasets)\//.test(v));
}

export interface JobStage {
  started(): Promise<void>;
  succeeded(result: unknown): Promise<void>;
}

/**
 * The stage record of one job, written from inside the processor: 'running' before the handler, 'succeeded'
 * after it and before BullMQ marks the job completed. A job's dependants (the evaluate parent of a flow) only
 * start once it is completed, so by construction they find its record final. Written from BullMQ's
 * 'completed' event instead, the record raced the parent job, and a run could end with a stage still 'running'.
 * Undefined for jobs without a run, and for substeps (see the catalog's `substep`).
 */
export function jobStage(
  ctx: RuntimeContext,
  job: { name: string; id?: string | undefined; data: unknown },
): JobStage | undefined {
  if (isSubstep(job.name as JobName)) return undefined;
  const runId = runIdOfJob(job.data);
  const jobId = job.id;
  if (!runId || !jobId) return undefined;
  const stage = stageOfJob(runId, jobId);
  const t0 = Date.now();
  const startedAt = new Date(t0).toISOString();
  return {
    async started() {
      await recordStage(
        ctx,
        runId,
        { stage, status: 'running', jobId, startedAt, artefacts: [] },
        { status: 'running' },
      );
    },
    async succeeded(result) {
      const t1 = Date.now();
      const seconds = (t1 - t0) / 1000;
      const record = {
        stage,
        status: 'succeeded',
        jobId,
        startedAt,
        finishedAt: new Date(t1).toISOString(),
        seconds,
        artefacts: artefactsIn(result),
        ...(result && typeof result === 'object' ? { summary: result as Record<string, unknown> } : {}),
      } as const;
      await recordStage(ctx, runId, record, { status: 'succeeded', seconds });
    },
  };
}
