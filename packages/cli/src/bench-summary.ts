import type { RunMetrics } from '@bidfcl/contracts';
import { fmt, table } from './output.js';

export interface MeanStd {
  mean: number;
  std: number;
  n: number;
}

/** Mean and sample standard deviation (n − 1; 0 for a single value) of the finite values. */
export function meanStd(values: (number | undefined)[]): MeanStd | undefined {
  const xs = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (xs.length === 0) return undefined;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = xs.length > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, std, n: xs.length };
}

/** A difference averaged over seeds with the standard error of that average from the test rows of each seed. */
export interface PooledDiff {
  diff: number;
  se: number;
  seeds: number;
}

/** Mean of per-seed paired differences; the seeds' test rows are independent, so their variances add. */
export function poolDiffs(values: ({ diff: number; se: number } | undefined)[]): PooledDiff | undefined {
  const xs = values.filter((x): x is { diff: number; se: number } => x !== undefined);
  if (xs.length === 0) return undefined;
  const k = xs.length;
  const diff = xs.reduce((a, x) => a + x.diff, 0) / k;
  const se = Math.sqrt(xs.reduce((a, x) => a + x.se ** 2, 0)) / k;
  return { diff, se, seeds: k };
}

export interface MethodSummary {
  trueValueNormalised?: MeanStd;
  oracleCapture?: MeanStd;
  eomNormalised?: MeanStd;
  /** Standard error of a seed's EOM ÷ tsm-rct from its test rows, over seeds (docs/method.md §4, Uncertainty). */
  eomNormalisedSe?: MeanStd;
  /** EOM ÷ tsm-rct − 1, paired on each seed's test rows: mean over seeds, se = √(Σ se_s²) / seeds. */
  eomVsTsmRct?: PooledDiff;
  trueValue?: MeanStd;
  eom?: MeanStd;
  trainSeconds?: MeanStd;
  /** Training time over tsm-both's on the same seed, when tsm-both ran. */
  trainTimeRatioToTsmBoth?: MeanStd;
  /** The last epoch's model instead of the selected checkpoint (decision-focused methods). */
  lastEpochTrueValueNormalised?: MeanStd;
  lastEpochEomNormalised?: MeanStd;
  skipped?: string;
}

/**
 * `summary.<method>` of the bench JSON: each number is averaged over budgets within a seed first (the run's
 * `mean`), then reported as mean ± std over seeds.
 */
export function summariseRuns(runs: RunMetrics[], methods: string[]): Record<string, MethodSummary> {
  const out: Record<string, MethodSummary> = {};
  for (const method of methods) {
    const per = runs.map((r) => ({
      m: r.methods.find((x) => x.method === method),
      both: r.methods.find((x) => x.method === 'tsm-both'),
    }));
    const skipped = per.map((p) => p.m?.skipped).find((s) => s);
    const s: MethodSummary = {};
    const put = <K extends keyof MethodSummary>(k: K, v: MethodSummary[K] | undefined) => {
      if (v !== undefined) s[k] = v;
    };
    put('trueValueNormalised', meanStd(per.map((p) => p.m?.mean.trueValueNormalised)));
    put('oracleCapture', meanStd(per.map((p) => p.m?.mean.oracleCapture)));
    put('eomNormalised', meanStd(per.map((p) => p.m?.mean.eomNormalised)));
    put('eomNormalisedSe', meanStd(per.map((p) => p.m?.mean.eomNormalisedSe)));
    if (method !== 'tsm-rct') put('eomVsTsmRct', poolDiffs(per.map((p) => p.m?.mean.eomNormalisedVsTsmRct)));
    put('trueValue', meanStd(per.map((p) => p.m?.mean.trueValue)));
    put('eom', meanStd(per.map((p) => p.m?.mean.eom)));
    put('trainSeconds', meanStd(per.map((p) => (p.m && !p.m.skipped ? p.m.trainSeconds : undefined))));
    put(
      'trainTimeRatioToTsmBoth',
      meanStd(
        per.map((p) =>
          p.m && p.both && p.both.trainSeconds > 0 && p.m.trainSeconds > 0
            ? p.m.trainSeconds / p.both.trainSeconds
            : undefined,
        ),
      ),
    );
    put('lastEpochTrueValueNormalised', meanStd(per.map((p) => p.m?.lastEpoch?.meanTrueValueNormalised)));
    put('lastEpochEomNormalised', meanStd(per.map((p) => p.m?.lastEpoch?.meanEomNormalised)));
    if (skipped && !s.eom) s.skipped = skipped;
    out[method] = s;
  }
  return out;
}

/** The bench's own JSON (documented in the README: scripts depend on it). */
export interface BenchJson {
  tool: 'bidfcl bench';
  createdAt: string;
  versions: Record<string, string>;
  scenario?: unknown;
  dataset?: string;
  methods: string[];
  seeds: number[];
  /** Fractions of the uniform random assignment's cost; absent when the budgets were money per user. */
  budgets?: number[];
  /** Money per user (the cost column's units), instead of `budgets` (`bench --budgets-per-user`). */
  budgetsPerUser?: number[];
  config: Record<string, unknown>;
  runs: { seed: number; runId: string; wallSeconds: number; metrics: RunMetrics }[];
  summary: Record<string, MethodSummary>;
  /** Set by `bidfcl bench-merge`: the files merged, in order. */
  mergedFrom?: { source: string; createdAt: string; versions: Record<string, string> }[];
}

const pm = (s: { mean: number; std: number } | undefined, digits = 4) =>
  s ? `${fmt(s.mean, digits)} ± ${fmt(s.std, digits)}` : '—';

const signed = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(4);
/** "+0.0310 [+0.0120, +0.0500]": a difference and its 95% interval (± 1.96 se). */
export const interval = (d: { diff: number; se: number } | undefined) =>
  d ? `${signed(d.diff)} [${signed(d.diff - 1.96 * d.se)}, ${signed(d.diff + 1.96 * d.se)}]` : '—';

/** The table `bidfcl bench` and `bidfcl bench-merge` print. */
export function benchTable(summary: Record<string, MethodSummary>): string {
  return table(
    [
      'method',
      'true value / tsm-rct',
      'oracle capture',
      'EOM / tsm-rct',
      'EOM − tsm-rct, 95% CI',
      'train s',
      'train / tsm-both',
      'last epoch: true / tsm-rct',
    ],
    Object.entries(summary).map(([m, s]) =>
      s.skipped
        ? [m, `skipped: ${s.skipped}`, '', '', '', '', '', '']
        : [
            m,
            pm(s.trueValueNormalised),
            pm(s.oracleCapture, 3),
            pm(s.eomNormalised),
            interval(s.eomVsTsmRct),
            pm(s.trainSeconds, 1),
            pm(s.trainTimeRatioToTsmBoth, 2),
            pm(s.lastEpochTrueValueNormalised),
          ],
    ),
  );
}
