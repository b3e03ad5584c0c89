import { z } from 'zod';
import { datasetSpecSchema } from './dataset.js';
import { deployConfigSchema, runAllocateSchema } from './deploy.js';
import { runIdSchema } from './ids.js';
import { methodIdSchema } from './methods.js';

/** Shared by every trained method (docs/method.md §3.6). */
export const trainingConfigSchema = z
  .object({
    hidden: z.array(z.number().int().min(1).max(4096)).min(1).max(8).default([128, 64, 32]),
    epochs: z.number().int().min(1).max(1000).default(20),
    batchSize: z.number().int().min(8).max(65536).default(1024),
    learningRate: z.number().gt(0).max(1).default(1e-3),
    /** Early stopping on the validation loss (TSM) or validation EOM (decision-focused methods). */
    patience: z.number().int().min(1).max(1000).default(4),
    /** tsm-ips: inverse-propensity weights are clipped to this value (logging propensities reach 1e-13). */
    maxIpsWeight: z.number().gt(1).default(50),
    /**
     * How the validation EOM that selects checkpoints (decision-focused methods) estimates a decision's value:
     * `dr` (default), doubly robust with a per-arm ridge fitted on the RCT training rows, unbiased with less
     * variance; or `ipw`, the paper's (docs/method.md §4, "Doubly robust validation"; docs/benchmarks.md).
     */
    validationEstimator: z.enum(['ipw', 'dr']).default('dr'),
    /**
     * Checkpoints chosen by validation EOM are scored by the mean of the last `selectionWindow` epochs' validation
     * EOM (1: the epoch's own; docs/method.md §4, "Selection window"). Early stopping counts on the same score.
     */
    selectionWindow: z.number().int().min(1).max(20).default(1),
  })
  .strict();

/** DFCL losses (docs/method.md §3.2–3.4). */
export const dfclConfigSchema = z
  .object({
    alpha: z.number().min(0).max(1e6).default(100),
    tau: z.number().gt(0).max(100).default(0.03),
    lambdas: z.array(z.number().gt(0)).min(1).default([0.1, 0.5, 1.0]),
    /** Multiplies `lambdas`; 'auto' uses mean RCT revenue / mean RCT cost (a typical return on spend). */
    lambdaScale: z.union([z.literal('auto'), z.number().gt(0)]).default('auto'),
    hMin: z.number().gt(0).default(0.05),
    hMax: z.number().gt(0).default(3),
    /** The budget PPL/PIFD train for, as a fraction of the uniform random assignment's cost. */
    trainBudget: z.number().gt(0).max(10).default(0.5),
  })
  .strict()
  .refine((d) => d.hMin <= d.hMax, {
    message: 'hMax must be at least hMin (the bounds of the per-user multiplier h)',
    path: ['hMax'],
  });

/**
 * What each `bidfcl.preset` sets where the config does not give the key itself (docs/method.md §3.5, "Beyond the
 * paper"). 'teacher' is the default because it is the setting measured best (docs/benchmarks.md: above tsm-both on
 * 14 of 15 preset seeds, where the paper's settings stay below it); 'paper' is the paper's method exactly.
 */
export const BIDFCL_PRESETS = {
  teacher: { lowerData: 'obs+rct', teacherData: 'rct+obs' },
  paper: { lowerData: 'obs', teacherData: 'rct' },
} as const;

/** Bi-DFCL (docs/method.md §3.5). */
export const bidfclConfigSchema = z
  .object({
    /**
     * Sets lowerData and teacherData (BIDFCL_PRESETS), and through lowerData the default of selectBy; a key given
     * explicitly overrides its preset value.
     */
    preset: z.enum(['teacher', 'paper']).default('teacher'),
    k: z.number().int().min(1).max(1000).default(5),
    nCg: z.number().int().min(1).max(1000).default(20),
    damping: z.number().min(0).default(0.1),
    cgTol: z.number().gt(0).default(1e-6),
    eps0: z.number().gt(0).default(1e-2),
    phiLearningRate: z.number().gt(0).max(1).default(1e-3),
    warmStartFraction: z.number().min(0).max(1).default(0.2),
    fixGate: z.number().min(0).max(1).default(0.5),
    /** The lower level's factual rows: 'obs' (paper) or OBS then RCT rows. Absent: from `preset`. */
    lowerData: z.enum(['obs', 'obs+rct']).optional(),
    rctBatchSize: z.number().int().min(8).default(4096),
    /**
     * Hessian-vector and mixed products: 'fd' = central differences of gradients (docs/method.md §3.5's Decision),
     * 'exact' = the R-operator through the MLP, 'gauss-newton' = CG on the Gauss–Newton matrix Jᵀ(∂²U/∂out²)J
     * (positive semi-definite: CG is never stopped by negative curvature) with the exact mixed product.
     */
    hvp: z.enum(['fd', 'exact', 'gauss-newton']).default('fd'),
    /**
     * Rows of the last look-ahead batch used for the Hessian products inside CG (0 = the whole batch).
     * Decision: 256 by default. A CG iteration costs in proportion to these rows; measured on marketing-8-like
     * data, a 256-row subsample moved the hypergradient's direction less than drawing another OBS batch did
     * (cosine 0.82 vs 0.59), and it is what brings Bi-DFCL within 3× of tsm-both's training time.
     */
    hvpRows: z.number().int().min(0).default(256),
    /**
     * Checkpoint selection: validation EOM (the default with lowerData obs) or the lower level's validation loss
     * (the default with obs+rct).
     */
    selectBy: z.enum(['valEom', 'valLoss']).optional(),
    /** Overrides of `training` for the Teacher's pretraining on the (small) RCT split. */
    teacher: z
      .object({
        epochs: z.number().int().min(1).max(1000).optional(),
        batchSize: z.number().int().min(8).max(65536).optional(),
        learningRate: z.number().gt(0).max(1).optional(),
        patience: z.number().int().min(1).max(1000).optional(),
      })
      .strict()
      .default({}),
    /**
     * The Teacher's pretraining data (docs/method.md §3.5, "Beyond the paper"). 'rct' (paper): tsm-rct, the factual
     * MSE on the RCT split. 'rct+obs': tsm-both, the factual MSE on RCT and OBS rows pooled, so that the Teacher
     * is at least as strong as a Target trained on the same rows (an RCT-only Teacher can be weaker than the
     * Target, and its pseudo-labels then pull the Target down). Trade-off: that Teacher inherits the OBS rows'
     * confounding bias; the gates decide how much of it the Target takes. `teacher` overrides apply either way.
     * Absent: from `preset`.
     */
    teacherData: z.enum(['rct', 'rct+obs']).optional(),
    /**
     * Averaging of the Target's parameters over the lower-level steps of the bi-level phase: 'none' (paper), or
     * 'ema', a bias-corrected exponential moving average with `emaDecay` (Polyak averaging while the steps are
     * fewer than 1/(1 − emaDecay)). With 'ema', validation, checkpoint selection and the returned parameters
     * use the average; training itself (and every hypergradient) continues from the raw parameters.
     */
    averaging: z.enum(['none', 'ema']).default('none'),
    /** Decay d of `averaging: 'ema'`: step t gets weight ∝ d^(T−t). */
    emaDecay: z.number().gt(0).lt(1).default(0.999),
    /**
     * Hypergradients the trainer keeps in flight while it goes on with its lower steps (docs/method.md §3.5,
     * "Asynchronous hypergradients"): 0 = the paper's synchronous loop; n > 0 applies step s's ∇φ at the
     * (s + n)-th due point, so n hypergradient workers can compute while the trainer trains. Deterministic either way.
     */
    hypergradInFlight: z.number().int().min(0).max(16).default(0),
  })
  .strict()
  // Resolved here, once, so that every reader (trainer, hypergradient worker, report) sees the same values and
  // run.json records them. The output gives every key explicitly, so a stored config parses to itself.
  .transform(({ lowerData, teacherData, ...rest }) => ({
    ...rest,
    lowerData: lowerData ?? BIDFCL_PRESETS[rest.preset].lowerData,
    teacherData: teacherData ?? BIDFCL_PRESETS[rest.preset].teacherData,
  }));

/** `evaluation.budgets` when a config gives neither `budgets` nor `budgetsPerUser`. */
export const DEFAULT_BUDGET_FRACTIONS = [0.25, 0.5, 0.75, 1.0];

/**
 * Budgets are given one way or the other, never both: as fractions of the uniform random assignment's cost per
 * user on the test split (`budgets`, the default), or as money per user in the cost column's units
 * (`budgetsPerUser`). After parsing exactly one of the two is present; budgetLevelsOf (core) turns either into
 * money per user with its fraction beside it.
 */
export const evaluationConfigSchema = z
  .object({
    /** Budgets as fractions of the cost of the uniform random assignment (default when no budgetsPerUser). */
    budgets: z.array(z.number().gt(0).max(10)).min(1).optional(),
    /** Budgets in money per user (the cost column's units), instead of `budgets`. */
    budgetsPerUser: z.array(z.number().gt(0).finite()).min(1).optional(),
    /** AUCC checkpoints (two-arm data). */
    auccQuantiles: z.number().int().min(1).max(100000).default(200),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.budgets && e.budgetsPerUser)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['budgetsPerUser'],
        message:
          "give budgets (fractions of the uniform random assignment's cost) or budgetsPerUser (money per user, " +
          'in the cost column units), not both',
      });
  })
  // `budgets` first, as before budgetsPerUser existed, so a stored config reads the same.
  .transform(
    ({
      budgets,
      ...rest
    }): { budgets?: number[] | undefined; budgetsPerUser?: number[] | undefined; auccQuantiles: number } =>
      rest.budgetsPerUser ? rest : { budgets: budgets ?? [...DEFAULT_BUDGET_FRACTIONS], ...rest },
  );
export type EvaluationConfig = z.infer<typeof evaluationConfigSchema>;

/** The debiasing baselines dr-jt, dragonnet, ltd-dr and autodebias (docs/method.md §3.7–§3.10). */
export const debiasConfigSchema = z
  .object({
    /** dragonnet: weight α of the propensity head's cross-entropy (Shi et al.'s default 1). */
    propensityWeight: z.number().min(0).default(1),
    /** dragonnet: weight β of the targeted regularisation (Shi et al.'s default 1). */
    targetedWeight: z.number().min(0).default(1),
    /** ltd-dr, autodebias: Adam step size of the debiasing parameters φ. */
    metaLearningRate: z.number().gt(0).max(1).default(1e-2),
    /** ltd-dr, autodebias: step size η of the one-step look-ahead θ' = θ − η∇_θ L_obs(θ, φ) (plain SGD). */
    lookaheadRate: z.number().gt(0).max(100).default(0.1),
    /** ltd-dr, autodebias: RCT rows of the meta (upper) loss at each meta step. */
    metaBatchSize: z.number().int().min(8).default(1024),
    /** ltd-dr, autodebias: a meta step every this many θ steps (1: every step, as the papers do). */
    metaEvery: z.number().int().min(1).max(1000).default(1),
    /** Probe length ‖εv‖ of the finite-difference mixed product of the meta-gradient (as bidfcl.eps0). */
    eps0: z.number().gt(0).default(1e-2),
  })
  .strict();

export const runConfigSchema = z
  .object({
    runId: runIdSchema,
    seed: z.number().int().min(0).default(0),
    dataset: datasetSpecSchema,
    methods: z.array(methodIdSchema).min(1).default(['tsm-rct']),
    features: z
      .object({ partRows: z.number().int().min(100).default(50000) })
      .strict()
      .default({}),
    training: trainingConfigSchema.default({}),
    dfcl: dfclConfigSchema.default({}),
    bidfcl: bidfclConfigSchema.default({}),
    debias: debiasConfigSchema.default({}),
    evaluation: evaluationConfigSchema.default({}),
    /** After evaluation, promote the best trained method into a named model (absent: nothing is promoted). */
    deploy: deployConfigSchema.optional(),
    /** After the deploy step, allocate a population with the deploy model's then-current version. */
    allocate: runAllocateSchema.optional(),
  })
  .strict()
  .refine((c) => !c.allocate || c.deploy, { message: 'allocate needs a deploy block (its model)', path: ['allocate'] })
  .refine((c) => new Set(c.methods).size === c.methods.length, {
    message: 'methods must not repeat',
    path: ['methods'],
  });

export type RunConfigInput = z.input<typeof runConfigSchema>;
export type RunConfig = z.infer<typeof runConfigSchema>;
export type TrainingConfig = z.infer<typeof trainingConfigSchema>;
export type DfclConfig = z.infer<typeof dfclConfigSchema>;
export type BidfclConfig = z.infer<typeof bidfclConfigSchema>;
export type DebiasConfig = z.infer<typeof debiasConfigSchema>;

/** Formats a zod error as one line per issue, each prefixed with its dotted path. */
export function formatZodError(err: z.ZodError, root = ''): string {
  return err.issues
    .map((i) => {
      const p = [root, ...i.path.map(String)].filter(Boolean).join('.');
      return `${p || '(root)'}: ${i.message}`;
    })
    .join('\n');
}
