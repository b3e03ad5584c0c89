import type { RunMetrics } from '@bidfcl/contracts';
import { fmt, table } from './output.js';

export const METRICS_HEADER = ['method', 'budget', 'EOM (IPW)', 'true value', 'oracle capture', 'true value / tsm-rct'];

/** One row per method and budget (one per skipped method, with the reason): the demo's table and the dashboard's. */
export function metricsRows(metrics: RunMetrics): (string | number | undefined)[][] {
  return metrics.methods.flatMap((m) =>
    m.skipped
      ? [[m.method, 'skipped', undefined, undefined, undefined, m.skipped]]
      : m.budgets.map((b) => [
          m.method,
          `${(b.fraction * 100).toFixed(0)}%`,
          b.eom,
          b.trueValue,
          b.oracleCapture,
          b.trueValueNormalised !== undefined ? fmt(b.trueValueNormalised) : '',
        ]),
  );
}

export function metricsTable(metrics: RunMetrics): string {
  return table(METRICS_HEADER, metricsRows(metrics));
}
