import { z } from 'zod';
import { armSpecSchema, SPLITS } from './dataset.js';

const splitInfo = z
  .object({ rows: z.number().int().min(0), parts: z.array(z.string()), armCounts: z.array(z.number().int().min(0)) })
  .strict();

/** runs/<runId>/features/manifest.json — written last by the feature builder's finalize job. */
export const featureManifestSchema = z
  .object({
    runId: z.string(),
    dataset: z.object({ name: z.string(), version: z.string() }).strict(),
    arms: z.array(armSpecSchema),
    /** Names of the model's input columns after one-hot encoding (numeric first, then `<col>=<value>`). */
    featureNames: z.array(z.string()),
    /** Standardisation learned on the training splits (rct + obs). */
    mean: z.array(z.number()),
    std: z.array(z.number()),
    vocab: z.record(z.string(), z.array(z.string())),
    /** RCT standard deviations of the targets; models learn targets divided by these (docs/method.md §3.6). */
    targetScale: z.object({ revenue: z.number().gt(0), cost: z.number().gt(0) }).strict(),
    /** RCT assignment probabilities per arm (known, or estimated from counts). */
    propensities: z.array(z.number()),
    splits: z
      .object(
        Object.fromEntries(SPLITS.map((s) => [s, splitInfo])) as Record<(typeof SPLITS)[number], typeof splitInfo>,
      )
      .strict(),
    hasTruth: z.boolean(),
    createdAt: z.string(),
  })
  .strict();
export type FeatureManifest = z.infer<typeof featureManifestSchema>;
