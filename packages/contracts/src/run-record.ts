import { z } from 'zod';
import { deployDecisionSchema, originSchema } from './deploy.js';
import { runConfigSchema } from './run-config.js';

export const stageStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'skipped']);
export type StageStatus = z.infer<typeof stageStatusSchema>;

/** runs/<runId>/stages/<stage>.json — one per stage, written only by the job that runs that stage. */
export const stageRecordSchema = z
  .object({
    stage: z.string(),
    status: stageStatusSchema,
    jobId: z.string().optional(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    seconds: z.number().optional(),
    artefacts: z.array(z.string()).default([]),
    summary: z.record(z.string(), z.unknown()).optional(),
    error: z.string().optional(),
  })
  .strict();
export type StageRecord = z.infer<typeof stageRecordSchema>;

/** A run's status. 'cancelled' (bidfcl runs cancel) is final like 'succeeded' and 'failed'; a retry resumes it. */
export const runStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
export type RunStatus = z.infer<typeof runStatusSchema>;

/** Statuses after which no job of the run moves it on by itself. */
export const FINISHED_RUN_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];
export const isRunFinished = (status: RunStatus): boolean => FINISHED_RUN_STATUSES.includes(status);

/** runs/<runId>/run.json — the config, status per stage, artefact pointers and the metrics summary. */
export const runRecordSchema = z
  .object({
    runId: z.string(),
    status: runStatusSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
    config: runConfigSchema,
    stages: z.record(z.string(), stageRecordSchema).default({}),
    error: z.object({ stage: z.string(), message: z.string() }).strict().optional(),
    metrics: z.record(z.string(), z.unknown()).optional(),
    /** Who started the run (absent in records written before it was kept). */
    startedBy: originSchema.optional(),
    /** The deploy step's decision (runs whose config has `deploy`), from the evaluate stage. */
    deploy: deployDecisionSchema.optional(),
  })
  .strict();
export type RunRecord = z.infer<typeof runRecordSchema>;
