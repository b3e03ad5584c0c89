import type { BudgetResult, MethodMetrics, RunMetrics, TrainingEpoch } from '@bidfcl/contracts';

/**
 * Realistic, deterministic RunMetrics for tests and previews of the report (no randomness beyond a seeded
 * generator). The numbers follow the shapes of docs/method.md: value rising with the budget with diminishing
 * returns, methods ordered between random and the oracle, arm shares moving to costlier arms as the budget
 * grows, losses falling and the validation EOM peaking before the last epoch.
 */

/** mulberry32: a tiny seeded generator so fixture noise is identical on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a fixture method looks like: its quality (oracle capture) and whether it has a training history. */
export interface FixtureMethod {
  method: string;
  /** Share of the oracle's gain over random (0 = random, 1 = oracle). */
  quality: number;
  /** Epochs of training history (0: none). */
  epochs: number;
  /** Record a bi-level (upper-level) loss too. */
  bilevel?: boolean;
  skipped?: string;
  trainSeconds?: number;
}

export interface FixtureOptions {
  arms: string[];
  hasTruth: boolean;
  methods: FixtureMethod[];
  fractions?: number[];
  /** Two-arm curves with this many points per method (0: none). */
  curvePoints?: number;
  seed?: number;
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

function armShares(arms: number, fraction: number, quality: number): number[] {
  // Arm 0 keeps the users the budget cannot reach; the rest spread over the arms, favouring cheap arms.
  const treated = Math.min(0.95, 0.3 + 0.55 * fraction + 0.05 * quality);
  const weights = Array.from({ length: arms - 1 }, (_, k) => Math.exp(-k * (1.2 - fraction)));
  const total = weights.reduce((s, w) => s + w, 0);
  return [1 - treated, ...weights.map((w) => (treated * w) / total)];
}

function training(
  rand: () => number,
  epochs: number,
  bilevel: boolean,
): { history: TrainingEpoch[]; selected: number } {
  const history: TrainingEpoch[] = [];
  let best = -Infinity;
  let selected = 1;
  for (let e = 1; e <= epochs; e += 1) {
    const noise = () => (rand() - 0.5) * 0.02;
    const valEom = 8.3 + 0.35 * (1 - Math.exp(-e / 6)) - 0.006 * Math.max(0, e - 18) + noise();
    const epoch: TrainingEpoch = {
      epoch: e,
      lowerLoss: 0.35 + 0.9 * Math.exp(-e / 7) + noise(),
      valLoss: 0.42 + 0.8 * Math.exp(-e / 8) + 0.002 * Math.max(0, e - 20) + noise(),
      valEom,
    };
    if (bilevel) epoch.upperLoss = -0.45 + 0.3 * Math.exp(-e / 9) + noise();
    history.push(epoch);
    if (valEom > best) {
      best = valEom;
      selected = e;
    }
  }
  return { history, selected };
}

/** A RunMetrics built from `opts`; tsm-rct (if present) is the normalisation reference. */
export function fixtureMetrics(opts: FixtureOptions): RunMetrics {
  const fractions = opts.fractions ?? [0.25, 0.5, 0.75, 1];
  const rand = seeded(opts.seed ?? 7);
  const randomCost = 1.84;
  const vRandom = (f: number) => 8.1 + 0.9 * f;
  const vOracle = (f: number) => 8.1 + 2.4 * Math.sqrt(f);
  const reference = opts.methods.find((m) => m.method === 'tsm-rct' && m.skipped === undefined);
  const trueAt = (q: number, f: number) => vRandom(f) + q * (vOracle(f) - vRandom(f));
  const eomNoise = fractions.map(() => 1 + (rand() - 0.5) * 0.03);

  const methods: MethodMetrics[] = opts.methods.map((spec, index) => {
    const base: MethodMetrics = {
      method: spec.method,
      trainSeconds: spec.trainSeconds ?? 0,
      budgets: [],
      training: [],
      mean: { eom: 0 },
    };
    if (spec.skipped !== undefined) return { ...base, skipped: spec.skipped, mean: { eom: 0 } };
    const budgets: BudgetResult[] = fractions.map((f, k) => {
      const trueValue = trueAt(spec.quality, f);
      const eom = trueValue * (eomNoise[k] ?? 1) * (1 + (rand() - 0.5) * 0.02);
      const result: BudgetResult = {
        fraction: f,
        budget: f * randomCost,
        lambda: 0.9 / (0.2 + f) + index * 0.01,
        eom,
        eomCost: f * randomCost * (1 + (rand() - 0.5) * 0.01),
        armShares: armShares(opts.arms.length, f, spec.quality),
      };
      if (reference !== undefined) result.eomNormalised = eom / (trueAt(reference.quality, f) * (eomNoise[k] ?? 1));
      if (opts.hasTruth) {
        result.trueValue = trueValue;
        result.oracleCapture = spec.quality;
        if (reference !== undefined) result.trueValueNormalised = trueValue / trueAt(reference.quality, f);
      }
      return result;
    });
    const m: MethodMetrics = { ...base, budgets, mean: { eom: mean(budgets.map((b) => b.eom)) } };
    if (reference !== undefined) m.mean.eomNormalised = mean(budgets.map((b) => b.eomNormalised ?? Number.NaN));
    if (opts.hasTruth) {
      m.mean.trueValue = mean(budgets.map((b) => b.trueValue ?? Number.NaN));
      m.mean.oracleCapture = spec.quality;
      if (reference !== undefined)
        m.mean.trueValueNormalised = mean(budgets.map((b) => b.trueValueNormalised ?? Number.NaN));
    }
    if (spec.epochs > 0) {
      const { history, selected } = training(rand, spec.epochs, spec.bilevel ?? false);
      m.training = history;
      m.selectedEpoch = selected;
      if (selected !== spec.epochs) {
        m.lastEpoch = { meanEomNormalised: (m.mean.eomNormalised ?? 1) - 0.006 };
        if (m.mean.trueValueNormalised !== undefined)
          m.lastEpoch.meanTrueValueNormalised = m.mean.trueValueNormalised - 0.004;
      }
    }
    const q = opts.curvePoints ?? 0;
    if (q > 0) {
      // Concave gain curves from (0,0) to a shared end point; better methods bow further above the diagonal.
      const bow = 0.15 + 0.6 * spec.quality;
      const curve = (endX: number, endY: number) =>
        Array.from({ length: q }, (_, k) => {
          const t = k / (q - 1);
          return { x: endX * t, y: endY * (1 - (1 - t) ** (1 + 2 * bow)) };
        });
      m.auccCurve = curve(0.92, 0.31);
      m.qiniCurve = curve(25000, 410);
      m.aucc = 0.5 + bow / 3;
      m.qini = bow / 4;
    }
    return m;
  });

  return {
    runId: 'run-fixture-01',
    dataset: opts.hasTruth ? 'marketing-8' : 'criteo-hybrid',
    seed: opts.seed ?? 7,
    arms: opts.arms,
    hasTruth: opts.hasTruth,
    testRows: 50000,
    randomCost,
    methods,
    createdAt: '2025-06-01T12:00:00.000Z',
  };
}

/** Eight coupon arms as in the marketing-8 preset. */
export const COUPON_ARMS = [
  'no coupon',
  'coupon 1',
  'coupon 2',
  'coupon 3',
  'coupon 4',
  'coupon 5',
  'coupon 6',
  'coupon 7',
];

/** Text of the data cells of the headline row of `method` (the name follows the colour swatch). */
export function headlineCells(html: string, method: string): string[] {
  const table = /<table id="headline"[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
  const row = table
    .split('\n')
    .find(
      (line) =>
        line.startsWith('<tr') &&
        (line.includes(`</span>${method}</th>`) || line.includes(`</span>${method} <span class="tag">`)),
    );
  if (row === undefined) throw new Error(`no headline row for ${method}`);
  return [...row.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1] ?? '');
}

/**
 * The fields metrics.json gained after the fixtures above were written (arm 0's value, parameters, selectedBy,
 * value–budget curves), added to a copy of `metrics`: reports must draw both the old and the new shape.
 */
export function withCurrentFields(metrics: RunMetrics): RunMetrics {
  const grid = Array.from({ length: 50 }, (_, k) => (k / 49) * 2 * metrics.randomCost);
  return {
    ...metrics,
    arm0: { revenue: 8.1, cost: 0 },
    parameters: {
      methods: metrics.methods.map((m) => m.method),
      training: { hidden: [128, 64, 32], epochs: 20, teacher: {} },
      bidfcl: { preset: 'teacher', lowerData: 'obs+rct' },
    },
    methods: metrics.methods.map((m, index) => {
      if (m.skipped !== undefined) return m;
      const quality = m.mean.oracleCapture ?? 0.5 - index * 0.1;
      const value = (b: number) => 8.1 + quality * 2.4 * Math.sqrt(b / metrics.randomCost);
      const curve = grid.map((budget) => ({ budget, eom: value(budget) * 1.01, eomCost: budget * 0.98 }));
      const selectedBy = m.method.startsWith('dfcl') ? ('valEom' as const) : ('valLoss' as const);
      return {
        ...m,
        valueCurve: metrics.hasTruth ? curve.map((p) => ({ ...p, trueValue: value(p.budget) })) : curve,
        ...(m.training.length > 0 ? { selectedBy } : {}),
      };
    }),
  };
}
