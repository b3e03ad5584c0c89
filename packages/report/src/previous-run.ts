import type { MethodMetrics, RunMetrics } from '@bidfcl/contracts';
import { escapeHtml } from './escape.js';
import { MISSING, amount, ratio } from './format.js';
import { activeMethods } from './tables.js';

type Mean = MethodMetrics['mean'];

/** A compared quantity: this run's value, the previous run's, and how the change is printed. */
interface Compared {
  header: string;
  value: (mean: Mean) => number | undefined;
  format: (v: number | undefined) => string;
}

const COMPARED: readonly Compared[] = [
  { header: 'EOM', value: (m) => m.eom, format: amount },
  { header: 'true value ÷ tsm-rct', value: (m) => m.trueValueNormalised, format: ratio },
];

const finite = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);

/** "+0.0310": a change with its sign; the dash when either side is missing. */
function change(now: number | undefined, before: number | undefined, format: (v: number) => string): string {
  if (!finite(now) || !finite(before)) return MISSING;
  const d = now - before;
  return (d >= 0 ? '+' : '') + format(d);
}

/**
 * This run's means per method beside the previous scheduled run's (same schedule, the latest earlier firing with
 * metrics): a nightly model that got worse shows here first. Empty string when the metrics name no previous run.
 */
export function previousRunSection(metrics: RunMetrics): string {
  const prev = metrics.previousRun;
  if (prev === undefined) return '';
  const before = new Map(prev.methods.map((m) => [m.method, m.mean]));
  const methods = activeMethods(metrics);
  const columns = COMPARED.filter((c) => methods.some((m) => finite(c.value(m.mean))));
  const head = ['method', ...columns.flatMap((c) => [c.header, 'previous', 'change'])]
    .map((h, i) => `<th scope="col"${i === 0 ? '' : ' class="num"'}>${escapeHtml(h)}</th>`)
    .join('');
  const rows = methods.map((m) => {
    const old = before.get(m.method);
    const cells = columns.flatMap((c) => {
      const now = c.value(m.mean);
      const then = old === undefined ? undefined : c.value(old);
      return [c.format(now), c.format(then), change(now, then, (v) => c.format(v))];
    });
    const tds = cells.map((t) => `<td class="num">${escapeHtml(t)}</td>`).join('');
    return `<tr><th scope="row">${escapeHtml(m.method)}</th>${tds}</tr>`;
  });
  return (
    `<h3>Beside the last scheduled run</h3>\n<p class="caption">${escapeHtml(
      `Means over budgets of this run and of ${prev.runId} (${prev.createdAt}), the same schedule's previous ` +
        'run with metrics. Each run evaluates on its own test split, so a change holds that noise too.',
    )}</p>\n<table id="previous" class="metrics">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n` +
    '</tbody>\n</table>'
  );
}
