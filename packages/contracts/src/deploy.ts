import { z } from 'zod';
import { safeId } from './ids.js';

/** Model names end up inside store keys and Redis keys, like run ids. */
export const modelNameSchema = safeId('model name');

/** Who started a run or promoted a model: a person at the CLI (with the OS user) or a schedule. */
export const originSchema = z
  .object({
    via: z.enum(['cli', 'schedule']),
    /** The OS user who ran the command (cli only). */
    user: z.string().optional(),
  })
  .strict();
export type Origin = z.infer<typeof originSchema>;

/** What decides whether a run's best method beats the current version (docs: README, Model registry). */
export const guardrailSchema = z
  .object({
    /** Mean over the run's budgets of this metric; trueValue needs simulated data (the simulator's truth). */
    metric: z.enum(['eom', 'trueValue']).default('eom'),
    /** Relative: the candidate must exceed current + margin·|current|. */
    margin: z.number().min(0).default(0),
  })
  .strict();
export type Guardrail = z.infer<typeof guardrailSchema>;

/** A run config's `deploy` block: after evaluation, promote the run's best trained method into a named model. */
export const deployConfigSchema = z
  .object({
    model: modelNameSchema,
    promote: z.enum(['never', 'always', 'if-better']).default('never'),
    guardrail: guardrailSchema.default({}),
  })
  .strict();
export type DeployConfig = z.infer<typeof deployConfigSchema>;
export type DeployConfigInput = z.input<typeof deployConfigSchema>;

/**
 * `allocate:` of a run config (with `deploy:`): after evaluation and the deploy step, the deploy model's then
 * current version allocates these users (as `bidfcl allocate`), under allocations/<runId>/.
 */
export const runAllocateSchema = z
  .object({
    /** A users table: a file, a folder or prefix ending in '/', s3://… or store:…. */
    users: z.string().min(1),
    /** Total money; or budgetPerUser × users. Exactly one of the two. */
    budget: z.number().positive().finite().optional(),
    budgetPerUser: z.number().positive().finite().optional(),
    shards: z.number().int().min(1).optional(),
    userIdColumn: z.string().min(1).optional(),
  })
  .strict()
  .refine((a) => (a.budget === undefined) !== (a.budgetPerUser === undefined), {
    message: 'give exactly one of budget and budgetPerUser',
  });
export type RunAllocate = z.infer<typeof runAllocateSchema>;

/**
 * The deploy step's decision, in run.json and metrics.json (and so the report). `candidate` is the run's best
 * trained method; `current` the model's current version re-scored on this run's test split (if-better only).
 */
export const deployDecisionSchema = z
  .object({
    model: z.string(),
    promote: z.enum(['always', 'if-better']),
    metric: z.enum(['eom', 'trueValue']),
    margin: z.number(),
    promoted: z.boolean(),
    reason: z.string(),
    candidate: z.object({ method: z.string(), value: z.number() }).strict().optional(),
    current: z
      .object({ version: z.number().int(), runId: z.string(), method: z.string(), value: z.number().optional() })
      .strict()
      .optional(),
    /** The value the candidate had to exceed: current + margin·|current|. */
    threshold: z.number().optional(),
    /** The version the promotion created. */
    version: z.number().int().optional(),
  })
  .strict();
export type DeployDecision = z.infer<typeof deployDecisionSchema>;
