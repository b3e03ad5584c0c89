import { z } from 'zod';
import { selectionCriterionSchema, trainingEpochSchema } from './report.js';

/** runs/<runId>/models/<method>/training.json — written by the trainer, read by the evaluator and report. */
export const trainingSummarySchema = z
  .object({
    method: z.string(),
    skipped: z.string().optional(),
    trainSeconds: z.number(),
    history: z.array(trainingEpochSchema),
    selectedEpoch: z.number().int().optional(),
    /** What selected `selectedEpoch` (absent in summaries written before it was recorded). */
    selectedBy: selectionCriterionSchema.optional(),
    /** The network's shape (learn's MlpSpec), needed to load the weights. */
    spec: z.record(z.string(), z.unknown()).optional(),
    /** Whether a last-epoch model was saved beside the selected one (checkpoints/last/). */
    hasLastEpochModel: z.boolean().optional(),
    extra: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type TrainingSummary = z.infer<typeof trainingSummarySchema>;

/** runs/<runId>/allocation/<method>/lambda.json — the deployment allocation per budget. */
export const allocationSummarySchema = z
  .object({
    method: z.string(),
    skipped: z.string().optional(),
    /** Per-user cost of the uniform random assignment on the test split: the unit of budget fractions. */
    randomCost: z.number(),
    budgets: z.array(
      z
        .object({
          /** As metrics.json's `fraction` and `budget`: money per user, and its share of `randomCost`. */
          fraction: z.number(),
          budgetPerUser: z.number(),
          /** λ* on predicted costs (NaN-free: null for the random reference, which has none). */
          lambda: z.number().nullable(),
          predictedCostPerUser: z.number().nullable(),
          armShares: z.array(z.number()),
        })
        .strict(),
    ),
  })
  .strict();
export type AllocationSummary = z.infer<typeof allocationSummarySchema>;
