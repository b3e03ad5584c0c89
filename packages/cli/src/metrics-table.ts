import type { RunMetrics } from '@bidfcl/contracts';
import { fmt, table } from './output.js';

/**
 * Method × budget as the demo and `run --wait` print it: IPW EOM, and on simulated data the true value, the
 * oracle capture and the true value relative to tsm-rct; a skipped method's row gives its reason.
 */
export function metricsTable(metrics: RunMetrics): string {
  const rows = metrics.methods.flatMap((m) =>
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
  return table(
    ['method', 'budget', 'EOM (IPW)', 'true value', 'oracle capture', 'true value / tsm-rct'],
    rows as (string | number | undefined)[][],
  );
}
