import { z } from 'zod';
import { deployDecisionSchema } from './deploy.js';

/** A difference of two estimates on the same rows and its standard error (a 95% interval is diff ± 1.96·se). */
export const diffSeSchema = z.object({ diff: z.number(), se: z.number() }).strict();
export type DiffSe = z.infer<typeof diffSeSchema>;

/** One method at one budget (docs/method.md §4). Normalised values divide by tsm-rct's (or, without it, are absent). */
export const budgetResultSchema = z
  .object({
    /**
     * The budget as a fraction of the uniform random assignment's cost (`randomCost`), and in money per user (raw
     * cost units), which is what allocation and evaluation spend. The config gives one (`evaluation.budgets` or
     * `evaluation.budgetsPerUser`); the other is derived: budget = fraction × randomCost, or the reverse.
     */
    fraction: z.number(),
    budget: z.number(),
    /** λ found for this budget (IPW bisection on the RCT test split). */
    lambda: z.number(),
    /** IPW expected outcome (revenue per user) and the IPW cost per user at that λ. */
    eom: z.number(),
    eomCost: z.number(),
    /** Standard error of `eom` over the test rows, λ held at its estimate (docs/method.md §4, Uncertainty). */
    eomSe: z.number().optional(),
    eomNormalised: z.number().optional(),
    /** eom − tsm-rct's eom at this budget, paired on the same test rows, with its standard error. */
    eomVsTsmRct: diffSeSchema.optional(),
    /** Simulator only: true revenue of the allocation whose TRUE cost meets the budget. */
    trueValue: z.number().optional(),
    trueValueNormalised: z.number().optional(),
    oracleCapture: z.number().optional(),
    /** Share of test users given each arm by the deployment allocation (λ* on predicted costs). */
    armShares: z.array(z.number()),
  })
  .strict();
export type BudgetResult = z.infer<typeof budgetResultSchema>;

export const curvePointSchema = z.object({ x: z.number(), y: z.number() }).strict();

/** What picked a trained method's checkpoint: the best validation EOM, or the lowest validation loss. */
export const selectionCriterionSchema = z.enum(['valEom', 'valLoss']);
export type SelectionCriterion = z.infer<typeof selectionCriterionSchema>;

/**
 * One point of a method's value–budget curve: at `budget` (money per user), the IPW revenue and cost per user of
 * the decisions on the Lagrangian path just before its IPW cost first exceeds the budget, and on simulated data
 * the true revenue just before the true cost does (docs/method.md §4, "Value–budget curve").
 */
export const valueCurvePointSchema = z
  .object({ budget: z.number(), eom: z.number(), eomCost: z.number(), trueValue: z.number().optional() })
  .strict();
export type ValueCurvePoint = z.infer<typeof valueCurvePointSchema>;

export const trainingEpochSchema = z
  .object({
    epoch: z.number().int(),
    lowerLoss: z.number().optional(),
    upperLoss: z.number().optional(),
    valLoss: z.number().optional(),
    valEom: z.number().optional(),
  })
  .strict();
export type TrainingEpoch = z.infer<typeof trainingEpochSchema>;

export const methodMetricsSchema = z
  .object({
    method: z.string(),
    skipped: z.string().optional(),
    trainSeconds: z.number(),
    budgets: z.array(budgetResultSchema),
    /** Two-arm data: AUCC and its cost curve (Δcost, Δreward) points; Qini curve (sklift convention). */
    aucc: z.number().optional(),
    auccCurve: z.array(curvePointSchema).optional(),
    qini: z.number().optional(),
    qiniCurve: z.array(curvePointSchema).optional(),
    training: z.array(trainingEpochSchema).default([]),
    selectedEpoch: z.number().int().optional(),
    /** What selected `selectedEpoch` (absent in metrics written before it was recorded). */
    selectedBy: selectionCriterionSchema.optional(),
    /** The value–budget curve over a dense grid of budgets (absent in metrics written before it existed). */
    valueCurve: z.array(valueCurvePointSchema).optional(),
    /** Test results of the last epoch's model where it differs from the selected checkpoint. */
    lastEpoch: z
      .object({ meanEomNormalised: z.number().optional(), meanTrueValueNormalised: z.number().optional() })
      .strict()
      .optional(),
    /** Means over budgets (eom absent for a skipped method). */
    mean: z
      .object({
        eom: z.number().optional(),
        eomSe: z.number().optional(),
        eomNormalised: z.number().optional(),
        /** Standard error of eomNormalised (tsm-rct's EOM held fixed) and its paired difference against tsm-rct. */
        eomNormalisedSe: z.number().optional(),
        eomNormalisedVsTsmRct: diffSeSchema.optional(),
        trueValue: z.number().optional(),
        trueValueNormalised: z.number().optional(),
        oracleCapture: z.number().optional(),
      })
      .strict(),
  })
  .strict();
export type MethodMetrics = z.infer<typeof methodMetricsSchema>;

/** runs/<runId>/report/metrics.json — what the report draws and what `bidfcl bench` aggregates. */
export const runMetricsSchema = z
  .object({
    runId: z.string(),
    dataset: z.string(),
    seed: z.number().int(),
    arms: z.array(z.string()),
    hasTruth: z.boolean(),
    testRows: z.number().int(),
    /** Cost of the uniform random assignment on the test split (IPW or true), the unit of budget fractions. */
    randomCost: z.number(),
    methods: z.array(methodMetricsSchema),
    /**
     * IPW revenue and cost per user when every test user gets arm 0 (usually no action): what incremental revenue
     * and spend are measured from. Absent in metrics written before it was recorded.
     */
    arm0: z.object({ revenue: z.number(), cost: z.number() }).strict().optional(),
    /**
     * A scheduled run's previous firing that has metrics (same schedule, earlier stamp): its means per method, for
     * the report to show beside this run's. Absent for unscheduled runs, a schedule's first run, and older metrics.
     */
    previousRun: z
      .object({
        runId: z.string(),
        createdAt: z.string(),
        methods: z.array(z.object({ method: z.string(), mean: methodMetricsSchema.shape.mean }).strict()),
      })
      .strict()
      .optional(),
    /** The run's parameters (config sections methods, training, dfcl, bidfcl, evaluation), as run.json has them. */
    parameters: z.record(z.string(), z.unknown()).optional(),
    /** The deploy step's decision, when the run's config has `deploy` (drawn as the report's last section). */
    deploy: deployDecisionSchema.optional(),
    createdAt: z.string(),
  })
  .strict();
export type RunMetrics = z.infer<typeof runMetricsSchema>;
