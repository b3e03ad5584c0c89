import { z } from 'zod';
import { armSpecSchema } from './dataset.js';
import { originSchema } from './deploy.js';
import { featureManifestSchema } from './manifest.js';
import { methodIdSchema } from './methods.js';
import { budgetResultSchema, methodMetricsSchema, trainingEpochSchema } from './report.js';
import { runConfigSchema } from './run-config.js';

const manifest = featureManifestSchema.shape;

/**
 * What scoring users with a version needs besides its weights: the run's feature encoding (names, the
 * standardisation learned on its training splits, categorical vocabularies), its arms, and the target scale its
 * network's outputs are multiplied by. Taken from the run's features manifest; never refitted.
 */
export const modelEncodingSchema = z
  .object({
    featureNames: manifest.featureNames,
    mean: manifest.mean,
    std: manifest.std,
    vocab: manifest.vocab,
    arms: z.array(armSpecSchema),
    targetScale: manifest.targetScale,
  })
  .strict();
export type ModelEncoding = z.infer<typeof modelEncodingSchema>;

/** models/<name>/versions/<v>.json — written once, before the pointer that names it. */
export const modelVersionSchema = z
  .object({
    model: z.string(),
    version: z.number().int().min(1),
    runId: z.string(),
    method: methodIdSchema,
    dataset: z.object({ name: z.string(), version: z.string() }).strict(),
    config: runConfigSchema,
    encoding: modelEncodingSchema,
    /** The registry's copy of the weights (a folder), and where they were copied from. */
    weights: z.string(),
    copiedFrom: z.string(),
    metrics: z
      .object({
        /** The selected epoch's validation loss / EOM (the last epoch when the method selects none). */
        validation: trainingEpochSchema.optional(),
        test: z
          .object({
            testRows: z.number().int(),
            mean: methodMetricsSchema.shape.mean,
            budgets: z.array(budgetResultSchema),
          })
          .strict(),
      })
      .strict(),
    promotedAt: z.string(),
    /** cli (with the OS user) or schedule; `run` when a run's deploy step promoted it. */
    promotedBy: originSchema.extend({ run: z.string().optional() }).strict(),
  })
  .strict();
export type ModelVersion = z.infer<typeof modelVersionSchema>;

/** One move of a model's pointer. */
export const pointerMoveSchema = z
  .object({
    at: z.string(),
    action: z.enum(['promote', 'rollback']),
    from: z.number().int().optional(),
    to: z.number().int(),
    by: originSchema.extend({ run: z.string().optional() }).strict(),
  })
  .strict();

/**
 * models/<name>/current.json — the pointer, one object replaced whole. `previous` is a stack of the versions that
 * were current before (a promote pushes, a rollback pops), so repeated rollbacks walk back; `moves` is the log.
 */
export const modelPointerSchema = z
  .object({
    model: z.string(),
    version: z.number().int().min(1),
    updatedAt: z.string(),
    previous: z.array(z.number().int().min(1)),
    moves: z.array(pointerMoveSchema),
  })
  .strict();
export type ModelPointer = z.infer<typeof modelPointerSchema>;

/**
 * runs/<runId>/deploy/baseline.json — which version an if-better run compared against, and where its scores on
 * the run's test split are; or why it could not be scored (no current version, other arms, missing features).
 */
export const deployBaselineSchema = z
  .object({
    model: z.string(),
    version: z.number().int().optional(),
    runId: z.string().optional(),
    method: z.string().optional(),
    scoresKey: z.string().optional(),
    unscorable: z.string().optional(),
  })
  .strict();
export type DeployBaseline = z.infer<typeof deployBaselineSchema>;

/**
 * models/<name>/current-allocation.json — which finished allocation the decisions service serves for the model
 * (the newest one published), with the version and λ* it was computed with. One object replaced whole: a reader
 * sees the old allocation or the new one. Written only after the allocation's summary.json.
 */
export const currentAllocationSchema = z
  .object({
    model: z.string(),
    allocationId: z.string(),
    version: z.number().int().min(1),
    lambda: z.number(),
    users: z.number().int(),
    publishedAt: z.string(),
  })
  .strict();
export type CurrentAllocation = z.infer<typeof currentAllocationSchema>;
