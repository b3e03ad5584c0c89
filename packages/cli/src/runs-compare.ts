import type { RunMetrics, RunRecord } from '@bidfcl/contracts';

/** One config key whose value differs between two runs (dotted path; absent on one side = undefined). */
export interface ConfigDifference {
  key: string;
  a: unknown;
  b: unknown;
}

/** One method's headline metrics in both runs (undefined where a run lacks the method or the metric). */
export interface MetricsSideBySide {
  method: string;
  metric: MetricName;
  a: number | undefined;
  b: number | undefined;
  /** b − a, when both exist. */
  diff: number | undefined;
}

/** The means the report leads with: EOM (and normalised to tsm-rct), true value, oracle capture. */
export const COMPARED_METRICS = ['eom', 'eomNormalised', 'trueValue', 'trueValueNormalised', 'oracleCapture'] as const;
export type MetricName = (typeof COMPARED_METRICS)[number];

/**
 * Leaves of a config as dotted paths. Arrays are leaves (compared whole, as JSON): a list of methods or budgets is
 * one setting, and index paths (methods.3) would say less than the two lists side by side.
 */
function leaves(value: unknown, path: string, out: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
  } else out.set(path, value);
}

/** The config keys that differ (the run ids always do, and are left out), sorted by key. */
export function configDifferences(a: RunRecord['config'], b: RunRecord['config']): ConfigDifference[] {
  const la = new Map<string, unknown>();
  const lb = new Map<string, unknown>();
  leaves(a, '', la);
  leaves(b, '', lb);
  const keys = [...new Set([...la.keys(), ...lb.keys()])].filter((k) => k !== 'runId').sort();
  return keys
    .filter((k) => JSON.stringify(la.get(k)) !== JSON.stringify(lb.get(k)))
    .map((k) => ({ key: k, a: la.get(k), b: lb.get(k) }));
}

/** Every method of either run (in a's order, then b's new ones) × every compared metric that either run has. */
export function metricsSideBySide(a: RunMetrics | undefined, b: RunMetrics | undefined): MetricsSideBySide[] {
  const byMethod = (m: RunMetrics | undefined) => new Map((m?.methods ?? []).map((x) => [x.method, x.mean]));
  const ma = byMethod(a);
  const mb = byMethod(b);
  const methods = [...new Set([...ma.keys(), ...mb.keys()])];
  const rows: MetricsSideBySide[] = [];
  for (const method of methods)
    for (const metric of COMPARED_METRICS) {
      const va = ma.get(method)?.[metric];
      const vb = mb.get(method)?.[metric];
      if (va === undefined && vb === undefined) continue;
      rows.push({ method, metric, a: va, b: vb, diff: va !== undefined && vb !== undefined ? vb - va : undefined });
    }
  return rows;
}
