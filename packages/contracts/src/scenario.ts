import { z } from 'zod';

/** The ground-truth simulator's world and draw (docs/method.md §5). Every field defaults to marketing-8. */
/**
 * The validation split is an RCT sample too: when `rct` is given without `val`, val = min(10,000, ⌈rct / 2⌉), so
 * a small experiment does not come with a validation set larger than itself (the default pair is 20,000 / 10,000).
 */
function defaultValidationSize(sizes: unknown): unknown {
  if (typeof sizes !== 'object' || sizes === null || 'val' in sizes || !('rct' in sizes)) return sizes;
  const rct = (sizes as { rct: unknown }).rct;
  if (typeof rct !== 'number' || !Number.isInteger(rct) || rct < 1) return sizes;
  return { ...sizes, val: Math.min(10000, Math.ceil(rct / 2)) };
}

export const scenarioSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9._-]+$/)
      .default('marketing-8'),
    armValues: z
      .array(z.number().nonnegative())
      .min(2)
      .default([0, 1, 2, 3, 4, 5, 6, 7])
      .refine(
        (v) => v[0] === 0 && v.every((x, i) => i === 0 || x > v[i - 1]!),
        'armValues must start at 0 and increase strictly',
      ),
    features: z.number().int().min(1).max(1000).default(20),
    sizes: z
      .preprocess(
        defaultValidationSize,
        z
          .object({
            rct: z.number().int().min(1).default(20000),
            val: z.number().int().min(1).default(10000),
            obs: z.number().int().min(0).default(200000),
            test: z.number().int().min(1).default(50000),
          })
          .strict(),
      )
      .default({}),
    worldSeed: z.number().int().default(2025),
    seed: z.number().int().default(0),
    featCorr: z.number().min(0).lt(1).default(0.3),
    weightDensity: z.number().gt(0).max(1).default(0.6),
    a0: z.number().default(-1.7),
    baseSd: z.number().min(0).default(1.0),
    gamma: z.number().min(0).default(0.3),
    respSd: z.number().min(0).default(2.0),
    b1: z.number().default(-1.0),
    satSd: z.number().min(0).default(0.5),
    b2: z.number().default(4.5),
    basketSd: z.number().min(0).default(0.5),
    b3: z.number().default(3.4),
    noiseSd: z.number().min(0).default(0.5),
    hCorr: z.number().min(-1).max(1).default(0.8),
    beta: z.number().default(6.0),
    gammaLog: z.number().min(0).default(0.2),
    armBias: z.array(z.number()).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.armBias && s.armBias.length !== s.armValues.length) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['armBias'],
        message: `armBias needs one entry per arm (${s.armValues.length})`,
      });
    }
  });

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.infer<typeof scenarioSchema> & { armBias: number[] };

// `+ 0` turns −0 (from −1.5·0) into 0, so that a default bias equals the one written out in docs/method.md.
const bias = (values: number[]) => values.map((v) => -1.5 * v + 0);

/** Named presets; each is a partial scenario over the marketing-8 defaults. */
export const SCENARIO_PRESETS: Record<string, ScenarioInput> = {
  'marketing-8': { name: 'marketing-8' },
  'marketing-8-confounded': { name: 'marketing-8-confounded', gamma: 0.5, gammaLog: 0.4 },
  'discount-5': { name: 'discount-5', armValues: [0, 1.75, 3.5, 5.25, 7], armBias: bias([0, 1.75, 3.5, 5.25, 7]) },
  'binary-2': { name: 'binary-2', armValues: [0, 5], armBias: [0, -7.5] },
};

/** Parses a scenario and fills armBias (−1.5·v_j) when absent. Throws a ZodError with paths on bad input. */
export function parseScenario(input: unknown): Scenario {
  const s = scenarioSchema.parse(input);
  return { ...s, armBias: s.armBias ?? bias(s.armValues) };
}

/** A preset by name, optionally with overrides (`--set key=value`), validated. */
export function scenarioPreset(name: string, overrides: Record<string, unknown> = {}): Scenario {
  const preset = SCENARIO_PRESETS[name];
  if (!preset)
    throw new Error(`unknown scenario preset '${name}' (known: ${Object.keys(SCENARIO_PRESETS).join(', ')})`);
  return parseScenario({ ...preset, ...overrides });
}
