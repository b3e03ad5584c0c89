import { z } from 'zod';
import { splitSchema, sourceUriSchema } from './dataset.js';
import { deployDecisionSchema } from './deploy.js';
import { runIdSchema } from './ids.js';
import { methodIdSchema } from './methods.js';
import { allocationIdSchema, populationSummarySchema } from './population.js';
import { deployBaselineSchema } from './registry.js';
import { runConfigSchema } from './run-config.js';

export const QUEUES = ['runs', 'features', 'training', 'hypergrad', 'allocation', 'evaluation'] as const;
export type QueueName = (typeof QUEUES)[number];

/** Worker roles and the queues each consumes (`bidfcl worker <role>`). */
export const ROLES = {
  'feature-builder': ['features', 'runs'],
  'observational-trainer': ['training'],
  hypergradient: ['hypergrad'],
  allocator: ['allocation'],
  evaluator: ['evaluation'],
} as const satisfies Record<string, readonly QueueName[]>;
export type Role = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as Role[];

export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
  /**
   * The job saves its progress as it goes (a checkpoint per epoch) and resumes from it: a crash of the worker
   * holding it (a stall) costs little, so it is allowed as often as an attempt (see {@link maxStalledCount}).
   */
  checkpointed?: boolean;
}

const runRef = { runId: runIdSchema };
const shardRef = z.object({ allocationId: allocationIdSchema, shard: z.number().int().min(0) }).strict();
const allocationRef = z.object({ allocationId: allocationIdSchema }).strict();

/** The job catalog: versioned name → queue, payload and result schemas, retry policy. */
export const JOBS = {
  'run.start.v1': {
    queue: 'runs',
    description: 'Starts a run from a config (used by schedules): writes run.json and enqueues the feature flow',
    payload: z.object({ config: runConfigSchema, runIdSuffix: z.enum(['none', 'timestamp']).default('none') }).strict(),
    result: z.object({ runId: runIdSchema, created: z.boolean() }).strict(),
    retry: { attempts: 3, backoffMs: 2000 },
  },
  'features.part.v1': {
    queue: 'features',
    description: 'Reads and validates one input table, writes a staging part and its statistics',
    payload: z
      .object({ ...runRef, split: splitSchema, part: z.number().int().min(0), source: sourceUriSchema })
      .strict(),
    result: z.object({ rows: z.number().int(), stagingKey: z.string(), statsKey: z.string() }).strict(),
    retry: { attempts: 3, backoffMs: 1000 },
  },
  'features.finalize.v1': {
    queue: 'features',
    description: 'Merges statistics, standardises and shards every split, writes the manifest, starts training',
    payload: z.object(runRef).strict(),
    result: z.object({ manifestKey: z.string(), rows: z.record(z.string(), z.number()) }).strict(),
    retry: { attempts: 3, backoffMs: 1000 },
  },
  'train.method.v1': {
    queue: 'training',
    description: "Trains one method on the run's feature sets and saves its model",
    payload: z.object({ ...runRef, method: methodIdSchema }).strict(),
    result: z
      .object({
        method: methodIdSchema,
        modelKey: z.string().optional(),
        trainSeconds: z.number(),
        summaryKey: z.string(),
        skipped: z.string().optional(),
      })
      .strict(),
    // Checkpointed: an attempt resumes from the last epoch, so a crash costs little and may happen often (issue 13:
    // killed "any number of times"); the stall limit follows (maxStalledCount).
    retry: { attempts: 5, backoffMs: 5000, checkpointed: true },
  },
  'hypergrad.step.v1': {
    queue: 'hypergrad',
    description: 'Bi-DFCL upper level: look-ahead θ*, λ*, ∇θ L_up, conjugate gradient, returns the key of ∇φ',
    payload: z
      .object({
        ...runRef,
        method: methodIdSchema,
        step: z.number().int().min(0),
        thetaKey: z.string(),
        phiKey: z.string(),
        obsBatchSeed: z.number().int(),
        rctBatchSeed: z.number().int(),
      })
      .strict(),
    result: z
      .object({
        gradKey: z.string(),
        cgIterations: z.number().int(),
        negativeCurvatureStops: z.number().int(),
        upperLoss: z.number(),
      })
      .strict(),
    retry: { attempts: 3, backoffMs: 500 },
    // Thousands per Bi-DFCL run, each awaited by the train stage that enqueued it: a stage record per step
    // would put a run.json rebuild over all of them on the training loop's critical path. Only a final
    // failure is recorded, so the run names the step that broke.
    substep: true,
  },
  'allocate.method.v1': {
    queue: 'allocation',
    description: "Scores the test split with a method's model, finds λ* per budget, writes one arm per user",
    payload: z.object({ ...runRef, method: methodIdSchema }).strict(),
    result: z
      .object({
        method: methodIdSchema,
        lambdaKey: z.string(),
        parts: z.array(z.string()),
        skipped: z.string().optional(),
      })
      .strict(),
    retry: { attempts: 3, backoffMs: 1000 },
  },
  'deploy.score.v1': {
    queue: 'allocation',
    description:
      "if-better deploys: scores the run's test split with the deploy model's current version (its stored encoding)",
    payload: z.object(runRef).strict(),
    result: deployBaselineSchema,
    retry: { attempts: 3, backoffMs: 1000 },
  },
  'allocate.plan.v1': {
    queue: 'allocation',
    description:
      "A run's `allocate:` block: checks and shards the users, enqueues the allocation with the current version",
    payload: z.object(runRef).strict(),
    result: z
      .object({ allocationId: z.string(), model: z.string(), version: z.number().int(), users: z.number().int() })
      .strict(),
    retry: { attempts: 3, backoffMs: 1000 },
  },
  'allocate.scan.v1': {
    queue: 'allocation',
    description: "Population allocation: reads, encodes and scores one shard's users, writes its λ summary",
    payload: shardRef,
    result: z.object({ users: z.number().int(), summaryKey: z.string(), scoresKey: z.string() }).strict(),
    retry: { attempts: 3, backoffMs: 1000 },
  },
  'allocate.solve.v1': {
    queue: 'allocation',
    description: 'Population allocation: the exact λ* from the shard summaries, then enqueues the assignment',
    payload: allocationRef,
    result: z.object({ thresholdKey: z.string(), lambda: z.number() }).strict(),
    retry: { attempts: 3, backoffMs: 1000 },
  },
  'allocate.assign.v1': {
    queue: 'allocation',
    description: "Population allocation: one shard's decisions at λ* (staged)",
    payload: shardRef,
    result: z.object({ users: z.number().int(), stagedKey: z.string() }).strict(),
    retry: { attempts: 3, backoffMs: 1000 },
  },
  'allocate.finalize.v1': {
    queue: 'allocation',
    description: 'Population allocation: publishes the decisions, then summary.json last',
    payload: allocationRef,
    result: populationSummarySchema,
    retry: { attempts: 3, backoffMs: 1000 },
  },
  'evaluate.run.v1': {
    queue: 'evaluation',
    description: 'Every metric per method and budget, and a configured deploy decision: metrics.json, report.html',
    payload: z.object(runRef).strict(),
    result: z
      .object({ metricsKey: z.string(), reportKey: z.string(), deploy: deployDecisionSchema.optional() })
      .strict(),
    retry: { attempts: 3, backoffMs: 1000 },
  },
} as const satisfies Record<
  string,
  {
    queue: QueueName;
    description: string;
    payload: z.ZodTypeAny;
    result: z.ZodTypeAny;
    retry: RetryPolicy;
    substep?: boolean;
  }
>;

/** A job that is a step of another job's stage, not a stage of the run: it gets no running/succeeded record. */
export const isSubstep = (name: JobName): boolean => 'substep' in JOBS[name] && JOBS[name].substep === true;

export type JobName = keyof typeof JOBS;
export const JOB_NAMES = Object.keys(JOBS) as JobName[];
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]['payload']>;
export type JobPayloadInput<N extends JobName> = z.input<(typeof JOBS)[N]['payload']>;
export type JobResult<N extends JobName> = z.infer<(typeof JOBS)[N]['result']>;

/**
 * How many times a job of `queue` may be found stalled (the worker holding it died) before BullMQ fails it.
 * BullMQ's default, 1, suits a job that might itself crash its worker every time; a checkpointed job resumes
 * where it stood, so it may stall as often as it may be attempted: the larger of its attempts and 1.
 */
export function maxStalledCount(queue: QueueName): number {
  const policies: RetryPolicy[] = JOB_NAMES.filter((n) => JOBS[n].queue === queue).map((n) => JOBS[n].retry);
  return Math.max(1, ...policies.filter((p) => p.checkpointed).map((p) => p.attempts));
}

/** Job names a role handles. */
export function jobsForRole(role: Role): JobName[] {
  const queues: readonly QueueName[] = ROLES[role];
  return JOB_NAMES.filter((n) => queues.includes(JOBS[n].queue));
}
