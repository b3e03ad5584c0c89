import type { Split } from '@bidfcl/contracts';
import { fmt, table } from '../output.js';

/** Rows, arm counts and per-arm mean revenue and cost of one split (means are null for an arm without rows). */
export interface SplitStats {
  rows: number;
  armCounts: number[];
  meanRevenue: (number | null)[];
  meanCost: (number | null)[];
}

/**
 * Per arm: the naive OBS means and arm-vs-arm-0 differences next to the RCT's (the bias a model trained on OBS
 * inherits).
 */
export interface ObsBias {
  arm: number;
  obsRevenue: number | null;
  rctRevenue: number | null;
  obsCost: number | null;
  rctCost: number | null;
  /** mean_j − mean_0 of revenue on OBS and on the RCT (0 for arm 0). */
  obsRevenueEffect: number | null;
  rctRevenueEffect: number | null;
  obsCostEffect: number | null;
  rctCostEffect: number | null;
}

/** What `materializeBuiltinDataset` built: per-split statistics and, with OBS, its bias against the RCT. */
export interface BuiltDatasetStats {
  name: string;
  version: string;
  arms: string[];
  splits: Partial<Record<Split, SplitStats>>;
  /** Against the pooled RCT splits (rct + val + test); absent without OBS. */
  obsBias?: ObsBias[];
  notes: string[];
}

/** Statistics of one split's arm, revenue and cost columns. */
export function splitStats(arm: Int32Array, revenue: Float64Array, cost: Float64Array, m: number): SplitStats {
  const armCounts = new Array<number>(m).fill(0);
  const sumR = new Array<number>(m).fill(0);
  const sumC = new Array<number>(m).fill(0);
  for (let i = 0; i < arm.length; i++) {
    const j = arm[i]!;
    armCounts[j]! += 1;
    sumR[j]! += revenue[i]!;
    sumC[j]! += cost[i]!;
  }
  return {
    rows: arm.length,
    armCounts,
    meanRevenue: sumR.map((s, j) => (armCounts[j]! > 0 ? s / armCounts[j]! : null)),
    meanCost: sumC.map((s, j) => (armCounts[j]! > 0 ? s / armCounts[j]! : null)),
  };
}

/** Pools several splits' statistics (count-weighted means). */
export function poolStats(parts: SplitStats[], m: number): SplitStats {
  const armCounts = new Array<number>(m).fill(0);
  const sumR = new Array<number>(m).fill(0);
  const sumC = new Array<number>(m).fill(0);
  for (const p of parts)
    for (let j = 0; j < m; j++) {
      armCounts[j]! += p.armCounts[j]!;
      sumR[j]! += (p.meanRevenue[j] ?? 0) * p.armCounts[j]!;
      sumC[j]! += (p.meanCost[j] ?? 0) * p.armCounts[j]!;
    }
  return {
    rows: armCounts.reduce((a, b) => a + b, 0),
    armCounts,
    meanRevenue: sumR.map((s, j) => (armCounts[j]! > 0 ? s / armCounts[j]! : null)),
    meanCost: sumC.map((s, j) => (armCounts[j]! > 0 ? s / armCounts[j]! : null)),
  };
}

const diff = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a == null || b == null ? null : a - b;

/** Naive OBS per-arm means and effects against the RCT's. */
export function obsBias(obs: SplitStats, rct: SplitStats): ObsBias[] {
  return obs.armCounts.map((_, j) => ({
    arm: j,
    obsRevenue: obs.meanRevenue[j] ?? null,
    rctRevenue: rct.meanRevenue[j] ?? null,
    obsCost: obs.meanCost[j] ?? null,
    rctCost: rct.meanCost[j] ?? null,
    obsRevenueEffect: diff(obs.meanRevenue[j], obs.meanRevenue[0]),
    rctRevenueEffect: diff(rct.meanRevenue[j], rct.meanRevenue[0]),
    obsCostEffect: diff(obs.meanCost[j], obs.meanCost[0]),
    rctCostEffect: diff(rct.meanCost[j], rct.meanCost[0]),
  }));
}

const num = (x: number | null) => (x === null ? undefined : x);

/** The human summary: rows and arm shares per split, mean revenue/cost per arm, OBS bias. */
export function formatBuiltDataset(s: BuiltDatasetStats): string {
  const lines = [
    `dataset ${s.name}/${s.version}: ${s.arms.length} arms (${s.arms.map((a, j) => `${j} = ${a}`).join(', ')})`,
  ];
  const splits = Object.entries(s.splits) as [Split, SplitStats][];
  lines.push(
    '',
    table(
      ['split', 'rows', ...s.arms.map((_, j) => `share ${j}`)],
      splits.map(([name, st]) => [
        name,
        String(st.rows),
        ...st.armCounts.map((c) => `${((100 * c) / Math.max(1, st.rows)).toFixed(1)}%`),
      ]),
    ),
    '',
    'mean revenue / mean cost per arm:',
    table(
      ['split', ...s.arms.map((_, j) => `arm ${j}`)],
      splits.map(([name, st]) => [
        name,
        ...st.armCounts.map(
          (_, j) =>
            `${st.meanRevenue[j] == null ? '—' : fmt(st.meanRevenue[j]!)} / ` +
            `${st.meanCost[j] == null ? '—' : fmt(st.meanCost[j]!)}`,
        ),
      ]),
    ),
  );
  if (s.obsBias) {
    lines.push(
      '',
      'OBS bias (naive OBS per-arm means and effects vs arm 0, against the RCT splits pooled):',
      table(
        [
          'arm',
          'revenue OBS',
          'revenue RCT',
          'effect OBS',
          'effect RCT',
          'cost OBS',
          'cost RCT',
          'effect OBS',
          'effect RCT',
        ],
        s.obsBias.map((b) => [
          String(b.arm),
          num(b.obsRevenue),
          num(b.rctRevenue),
          num(b.obsRevenueEffect),
          num(b.rctRevenueEffect),
          num(b.obsCost),
          num(b.rctCost),
          num(b.obsCostEffect),
          num(b.rctCostEffect),
        ]),
      ),
    );
  }
  for (const n of s.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}
