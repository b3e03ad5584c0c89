import { z } from 'zod';
import { safeId } from './ids.js';

/** Allocation ids end up in store keys and job ids: the run-id alphabet. */
export const allocationIdSchema = safeId('allocation id');

/** Rows [start, end) of one users table: a piece of a shard. */
export const userSlicePiece = z
  .object({ source: z.string().min(1), start: z.number().int().min(0), end: z.number().int().min(0) })
  .strict();
export type UserSlicePiece = z.infer<typeof userSlicePiece>;

/**
 * allocation-staging/<id>/request.json — what `bidfcl allocate` asked for, written before the flow: the model
 * version (resolved, so a promotion meanwhile changes nothing), the shards' row ranges, the total budget.
 */
export const populationRequestSchema = z
  .object({
    allocationId: allocationIdSchema,
    model: z.string(),
    version: z.number().int().min(1),
    userIdColumn: z.string().min(1),
    users: z.number().int().min(1),
    /** Total money. */
    budget: z.number().finite().min(0),
    shards: z.array(z.array(userSlicePiece)).min(1),
    sources: z.array(z.string()),
    requestedAt: z.string(),
  })
  .strict();
export type PopulationRequest = z.infer<typeof populationRequestSchema>;

/** The solve job's answer (staging threshold.json): the decision rule every shard applies. */
export const populationThresholdSchema = z
  .object({
    lambda: z.number(),
    /** The tie key below which upgrades at exactly λ* are taken (a JSON number: finite here). */
    tieKey: z.number(),
    quota: z.number().int(),
    budget: z.number(),
    cost: z.number(),
    baseCost: z.number(),
    topCost: z.number(),
    maxUpgradeCost: z.number(),
    baseRevenue: z.number(),
    solveSeconds: z.number(),
  })
  .strict();
export type PopulationThreshold = z.infer<typeof populationThresholdSchema>;

/** allocations/<id>/summary.json — written last: its presence means the decisions are complete. */
export const populationSummarySchema = z
  .object({
    allocationId: allocationIdSchema,
    model: z.string(),
    version: z.number().int(),
    users: z.number().int(),
    shards: z.number().int(),
    lambda: z.number(),
    budget: z.number(),
    predictedSpend: z.number(),
    /** The largest single upgrade cost: budget − predictedSpend is below it when the budget binds. */
    maxUpgradeCost: z.number().optional(),
    predictedRevenue: z.number(),
    /** Predicted revenue minus that of arm 0 for everyone (giving nobody anything). */
    predictedIncrementalRevenue: z.number(),
    armMix: z.array(z.object({ arm: z.string(), users: z.number().int(), share: z.number() }).strict()),
    decisions: z.array(z.string()),
    /** sha256 of "user_id\tarm_index\n" lines in user-id order (code-unit order). */
    sha256: z.string(),
    timings: z.object({ requestedAt: z.string(), finishedAt: z.string(), seconds: z.number() }).strict(),
  })
  .strict();
export type PopulationSummary = z.infer<typeof populationSummarySchema>;
