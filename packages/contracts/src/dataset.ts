import { z } from 'zod';
import { datasetNameSchema, safeId } from './ids.js';

export const SPLITS = ['rct', 'val', 'obs', 'test'] as const;
export const splitSchema = z.enum(SPLITS);
export type Split = z.infer<typeof splitSchema>;

/**
 * Where an input table lives: `store:<key>` (the run's artefact store), `s3://bucket/key`, or a local file path.
 * Format comes from the extension (.parquet / .csv) unless the dataset says otherwise.
 */
export const sourceUriSchema = z.string().min(1);

export const armSpecSchema = z
  .object({
    /** The arm's name as it appears in the arm column when that column holds strings. */
    name: z.string().min(1),
    /** The action's nominal value (coupon value); informational, and the simulator's v_j. */
    value: z.number().optional(),
    /** The arm costs nothing by definition (no coupon): ĉ is fixed at 0 in every allocation. */
    zeroCost: z.boolean().default(false),
  })
  .strict();
export type ArmSpec = z.infer<typeof armSpecSchema>;

export const columnSpecSchema = z
  .object({
    arm: z.string().min(1),
    revenue: z.string().min(1),
    cost: z.string().min(1),
    userId: z.string().min(1).optional(),
    /** Numeric feature columns. */
    features: z.array(z.string().min(1)).default([]),
    /** String feature columns, one-hot encoded with a vocabulary learned on the training splits. */
    categorical: z.array(z.string().min(1)).default([]),
    /** Simulator only: per-arm true expected revenue / cost columns (test split). */
    trueRevenue: z.array(z.string().min(1)).optional(),
    trueCost: z.array(z.string().min(1)).optional(),
  })
  .strict()
  .refine((c) => c.features.length + c.categorical.length > 0, {
    message: 'at least one feature or categorical column is required',
    path: ['features'],
  });
export type ColumnSpec = z.infer<typeof columnSpecSchema>;

/** A dataset as a run sees it: its tables per split, its columns and its arms. */
export const datasetSpecSchema = z
  .object({
    name: datasetNameSchema,
    version: safeId('dataset version').default('v1'),
    format: z.enum(['parquet', 'csv']).optional(),
    splits: z
      .object({
        rct: z.array(sourceUriSchema).min(1),
        val: z.array(sourceUriSchema).default([]),
        obs: z.array(sourceUriSchema).default([]),
        test: z.array(sourceUriSchema).default([]),
      })
      .strict(),
    columns: columnSpecSchema,
    arms: z.array(armSpecSchema).min(2),
    /** Known RCT assignment probabilities per arm; estimated from the RCT arm counts when absent. */
    propensities: z.array(z.number().gt(0).lt(1)).optional(),
    /** Without a val split, this share of RCT rows (chosen with the run seed) becomes validation. */
    valFraction: z.number().gt(0).lt(1).default(0.2),
    /** Without a test split, this share of RCT rows (chosen with the run seed) becomes test. */
    testFraction: z.number().gt(0).lt(1).default(0.3),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.propensities && d.propensities.length !== d.arms.length)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['propensities'],
        message: `needs one probability per arm (${d.arms.length})`,
      });
    for (const k of ['trueRevenue', 'trueCost'] as const) {
      const cols = d.columns[k];
      if (cols && cols.length !== d.arms.length)
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['columns', k],
          message: `needs one column per arm (${d.arms.length})`,
        });
    }
  });
export type DatasetSpecInput = z.input<typeof datasetSpecSchema>;
export type DatasetSpec = z.infer<typeof datasetSpecSchema>;
