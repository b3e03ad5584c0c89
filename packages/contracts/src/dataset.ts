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

/**
 * A column has one role: a feature that is also the outcome, the cost, the arm or the user id would leak the
 * answer into the model (or make ids a signal), and a column listed twice would be encoded twice.
 */
function columnRoleIssues(c: ColumnSpec, issue: (path: (string | number)[], message: string) => void): void {
  const roles = new Map<string, string>();
  const claim = (name: string, role: string, path: (string | number)[]) => {
    const other = roles.get(name);
    if (other) issue(['columns', ...path], `column '${name}' is already ${other}; a column has one role`);
    else roles.set(name, role);
  };
  for (const k of ['arm', 'revenue', 'cost', 'userId'] as const) {
    const name = c[k];
    if (name !== undefined) claim(name, `the ${k} column (columns.${k})`, [k]);
  }
  c.features.forEach((name, i) => claim(name, `a numeric feature (columns.features.${i})`, ['features', i]));
  c.categorical.forEach((name, i) =>
    claim(name, `a categorical feature (columns.categorical.${i})`, ['categorical', i]),
  );
}

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
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
    if (d.propensities && d.propensities.length !== d.arms.length)
      issue(['propensities'], `needs one probability per arm (${d.arms.length})`);
    const total = d.propensities?.reduce((a, b) => a + b, 0);
    // Assignment probabilities of one randomisation: used as given, a wrong total biases every RCT estimate.
    if (total !== undefined && Math.abs(total - 1) > 1e-6)
      issue(
        ['propensities'],
        `must sum to 1 (they sum to ${Number(total.toPrecision(6))}); to within 1e-6: write thirds as 0.3333333`,
      );
    const seenArms = new Map<string, number>();
    d.arms.forEach((a, j) => {
      const first = seenArms.get(a.name);
      if (first !== undefined) issue(['arms', j, 'name'], `arm name '${a.name}' repeats arms.${first}.name`);
      else seenArms.set(a.name, j);
    });
    columnRoleIssues(d.columns, issue);
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
