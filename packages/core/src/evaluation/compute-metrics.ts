import type {
  AllocationSummary,
  BudgetResult,
  FeatureTable,
  MethodMetrics,
  ScoreMatrix,
  TrainingSummary,
} from '@bidfcl/contracts';
import { oracleAtBudget, trueValueAtBudget } from '../allocation/allocate-budget.js';
import { decide } from '../allocation/decide.js';
import { eomAtBudget, ipwOfDecisions, type RctOutcomes } from '../allocation/ipw.js';
import { ipwRandomReference, oracleCapture, randomReference } from '../allocation/random-reference.js';
import { rctOutcomesOf, truthOf, type BudgetLevel } from '../budgets.js';
import {
  combineContributions,
  ipwRevenueContributions,
  meanWithSe,
  randomReferenceContributions,
} from './eom-uncertainty.js';
import { twoArmCurves } from './two-arm.js';
import { budgetGrid, randomValueCurve, valueCurve } from './value-curve.js';

/** Everything known about one method when the evaluator runs. */
export interface MethodInput {
  method: string;
  /** Predicted scores on the test split (absent for `random` and skipped methods). */
  scores?: ScoreMatrix;
  allocation?: AllocationSummary;
  training?: TrainingSummary;
  /** Scores of the last epoch's model, when it differs from the selected checkpoint. */
  lastScores?: ScoreMatrix;
}

export interface EvaluationInput {
  test: FeatureTable;
  propensities: number[];
  /** Money per user, with its fraction of the random assignment's cost (budgetLevelsOf). */
  budgets: BudgetLevel[];
  methods: MethodInput[];
  auccQuantiles: number;
}

type BudgetRow = Omit<BudgetResult, 'armShares'>;
interface PerBudget {
  res: BudgetRow;
  z: Float64Array;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const finite = (x: number) => (Number.isFinite(x) ? x : undefined);

/**
 * The largest budget of the value–budget curves: past the configured budgets, up to where the costliest method's
 * decisions at λ = 0 (everything with a positive predicted return) stop spending more, IPW or true.
 */
function curveBudgetMax(input: EvaluationInput, rct: RctOutcomes, truth: ScoreMatrix | undefined): number {
  let max = Math.max(0, ...input.budgets.map((l) => l.budget));
  for (const { scores } of input.methods) {
    if (!scores) continue;
    const all = decide(scores, 0);
    max = Math.max(max, ipwOfDecisions(all, rct).cost);
    if (truth) max = Math.max(max, chosenMean(truth.c, truth.m, all));
  }
  return max;
}

/** Mean over users of `values[i, decisions[i]]` (an n × m matrix). */
function chosenMean(values: ArrayLike<number>, m: number, decisions: Int32Array): number {
  let s = 0;
  for (let i = 0; i < decisions.length; i++) s += values[i * m + decisions[i]!]!;
  return decisions.length === 0 ? 0 : s / decisions.length;
}

/**
 * Every metric of docs/method.md §4 for every method and budget: IPW EOM on the RCT test split (λ by bisection so
 * that the IPW cost meets the budget), and on simulated data the true value of the allocation whose TRUE cost
 * meets the budget, with oracle capture against the oracle and random references. Normalised values divide by
 * tsm-rct's at the same budget. Pure.
 */
export function computeMethodMetrics(input: EvaluationInput): MethodMetrics[] {
  const { test, propensities } = input;
  const rct = rctOutcomesOf(test, propensities);
  const truth = truthOf(test);
  const budgets = input.budgets.map((l) => l.budget);
  const oracleV = truth ? budgets.map((b) => oracleAtBudget(truth, b).value) : undefined;
  const randomV = truth ? budgets.map((b) => randomReference(truth, b).value) : undefined;
  const curveBudgets = budgetGrid(curveBudgetMax(input, rct, truth));
  const curveOf = (m: MethodInput) => {
    if (m.method === 'random') return randomValueCurve(rct, truth, curveBudgets);
    return m.scores ? valueCurve(m.scores, rct, truth, curveBudgets) : undefined;
  };

  /** Per budget: the results and the rows' EOM contributions (eom-uncertainty.ts), kept for paired differences. */
  const perBudget = (m: MethodInput, scores: ScoreMatrix | undefined): PerBudget[] | undefined => {
    if (m.method !== 'random' && !scores) return undefined;
    return budgets.map((budget, b) => {
      const fraction = input.budgets[b]!.fraction;
      let eom: number;
      let eomCost: number;
      let lambda: number;
      let trueValue: number | undefined;
      let z: Float64Array;
      if (scores) {
        const e = eomAtBudget(scores, rct, budget);
        ({ eom, lambda } = e);
        eomCost = e.cost;
        z = ipwRevenueContributions(decide(scores, lambda), rct);
        if (truth) trueValue = trueValueAtBudget(scores, truth, budget).value;
      } else {
        const r = ipwRandomReference(rct, budget);
        eom = r.value;
        eomCost = r.cost;
        lambda = 0;
        z = randomReferenceContributions(rct, r.q);
        if (truth) trueValue = randomReference(truth, budget).value;
      }
      const res: BudgetRow = { fraction, budget, lambda: finite(lambda) ?? 0, eom, eomCost };
      const se = finite(meanWithSe(z).se);
      if (se !== undefined) res.eomSe = se;
      if (trueValue !== undefined) {
        res.trueValue = trueValue;
        res.oracleCapture = oracleCapture(trueValue, randomV![b]!, oracleV![b]!);
      }
      return { res, z };
    });
  };

  const rows = input.methods.map((m) => ({
    m,
    results: perBudget(m, m.scores),
    last: m.lastScores ? perBudget(m, m.lastScores) : undefined,
  }));
  const base = rows.find((r) => r.m.method === 'tsm-rct' && r.results)?.results;
  // tsm-rct's difference with itself is left out rather than printed as 0 ± rounding.
  const normalise = (results: PerBudget[], isBase: boolean): BudgetRow[] =>
    results.map(({ res: r, z }, b) => {
      const ref = base?.[b];
      const out: BudgetRow = { ...r };
      if (!ref) return out;
      out.eomNormalised = r.eom / ref.res.eom;
      const paired = [
        { weight: 1, z },
        { weight: -1, z: ref.z },
      ];
      if (!isBase) out.eomVsTsmRct = { diff: r.eom - ref.res.eom, se: meanWithSe(combineContributions(paired)).se };
      if (r.trueValue !== undefined && ref.res.trueValue) out.trueValueNormalised = r.trueValue / ref.res.trueValue;
      return out;
    });
  /** Over budgets: the SE of the mean EOM, of the mean EOM ÷ tsm-rct, and its paired difference against 1. */
  const meanUncertainty = (results: PerBudget[], isBase: boolean) => {
    const k = results.length;
    const out: Pick<MethodMetrics['mean'], 'eomSe' | 'eomNormalisedSe' | 'eomNormalisedVsTsmRct'> = {};
    const se = finite(meanWithSe(combineContributions(results.map(({ z }) => ({ weight: 1 / k, z })))).se);
    if (se !== undefined) out.eomSe = se;
    if (!base) return out;
    const scaled = results.map(({ z }, b) => ({ weight: 1 / (k * base[b]!.res.eom), z }));
    const refScaled = base.map(({ z }, b) => ({ weight: -1 / (k * base[b]!.res.eom), z }));
    const normalisedSe = finite(meanWithSe(combineContributions(scaled)).se);
    const d = meanWithSe(combineContributions([...scaled, ...refScaled]));
    if (normalisedSe !== undefined) out.eomNormalisedSe = normalisedSe;
    // d.mean equals this up to rounding; the ratio's own mean keeps diff exactly eomNormalised − 1.
    const diff = mean(results.map(({ res }, b) => res.eom / base[b]!.res.eom)) - 1;
    if (!isBase && Number.isFinite(diff) && Number.isFinite(d.se)) out.eomNormalisedVsTsmRct = { diff, se: d.se };
    return out;
  };

  return rows.map(({ m, results, last }) => {
    const skipped = m.allocation?.skipped ?? m.training?.skipped;
    const training = m.training?.history ?? [];
    const common = {
      method: m.method,
      trainSeconds: m.training?.trainSeconds ?? 0,
      training,
      ...(m.training?.selectedEpoch !== undefined ? { selectedEpoch: m.training.selectedEpoch } : {}),
      ...(m.training?.selectedBy !== undefined ? { selectedBy: m.training.selectedBy } : {}),
    };
    if (!results) return { ...common, skipped: skipped ?? 'no scores', budgets: [], mean: {} };
    const isBase = m.method === 'tsm-rct';
    const withNorm = normalise(results, isBase);
    const budgetsOut: BudgetResult[] = withNorm.map((r, b) => ({
      ...r,
      armShares: m.allocation?.budgets[b]?.armShares ?? [],
    }));
    const avg = (k: keyof BudgetResult) => {
      const xs = budgetsOut.map((r) => r[k]).filter((x): x is number => typeof x === 'number');
      return xs.length === budgetsOut.length && xs.length > 0 ? mean(xs) : undefined;
    };
    const curve = curveOf(m);
    const out: MethodMetrics = {
      ...common,
      budgets: budgetsOut,
      ...(curve ? { valueCurve: curve } : {}),
      mean: {
        eom: avg('eom')!,
        ...meanUncertainty(results, isBase),
        ...(avg('eomNormalised') !== undefined ? { eomNormalised: avg('eomNormalised')! } : {}),
        ...(avg('trueValue') !== undefined ? { trueValue: avg('trueValue')! } : {}),
        ...(avg('trueValueNormalised') !== undefined ? { trueValueNormalised: avg('trueValueNormalised')! } : {}),
        ...(avg('oracleCapture') !== undefined ? { oracleCapture: avg('oracleCapture')! } : {}),
      },
    };
    if (last) {
      const ln = normalise(last, isBase);
      const lastMean = (k: 'eomNormalised' | 'trueValueNormalised') => {
        const xs = ln.map((r) => r[k]).filter((x): x is number => typeof x === 'number');
        return xs.length ? mean(xs) : undefined;
      };
      out.lastEpoch = {
        ...(lastMean('eomNormalised') !== undefined ? { meanEomNormalised: lastMean('eomNormalised')! } : {}),
        ...(lastMean('trueValueNormalised') !== undefined
          ? { meanTrueValueNormalised: lastMean('trueValueNormalised')! }
          : {}),
      };
    }
    if (test.m === 2 && m.scores) Object.assign(out, twoArmCurves(m.scores, test, input.auccQuantiles));
    return out;
  });
}
