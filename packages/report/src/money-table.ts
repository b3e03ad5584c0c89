import type { BudgetResult, RunMetrics } from '@bidfcl/contracts';
import { escapeHtml } from './escape.js';
import { amount, ratio } from './format.js';
import { activeMethods } from './tables.js';

/** One column of the money table: its header, hover help and cell of one method at one budget. */
interface MoneyColumn {
  header: string;
  help: string;
  cell: (b: BudgetResult) => number | undefined;
  format: (v: number | undefined) => string;
}

/**
 * The columns, given the run's test rows and arm 0's value. Without arm 0 (metrics written before it was
 * recorded) only spend is known, so the incremental columns are left out rather than shown as dashes.
 */
export function moneyColumns(metrics: RunMetrics): MoneyColumn[] {
  const n = metrics.testRows;
  const columns: MoneyColumn[] = [
    { header: 'budget / user', help: 'The budget in money per user.', cell: (b) => b.budget, format: amount },
    {
      header: 'spend / user',
      help: 'IPW estimate of what the allocation spends per user on the RCT test rows.',
      cell: (b) => b.eomCost,
      format: amount,
    },
    {
      header: `spend, ${n} users`,
      help: 'Spend per user times the test users: what the allocation would spend on the test split.',
      cell: (b) => b.eomCost * n,
      format: amount,
    },
  ];
  const arm0 = metrics.arm0;
  if (arm0 === undefined) return columns;
  const gain = (b: BudgetResult) => b.eom - arm0.revenue;
  return [
    ...columns,
    {
      header: 'incr. revenue / user',
      help: 'EOM minus the IPW revenue per user when every test user gets arm 0 (no action).',
      cell: gain,
      format: amount,
    },
    {
      header: `incr. revenue, ${n} users`,
      help: 'Incremental revenue per user times the test users.',
      cell: (b) => gain(b) * n,
      format: amount,
    },
    {
      header: 'incr. revenue ÷ incr. spend',
      help: "Incremental revenue per unit of money spent beyond arm 0's cost: above 1, the spend pays for itself.",
      cell: (b) => gain(b) / (b.eomCost - arm0.cost),
      format: ratio,
    },
  ];
}

/**
 * Spend and incremental revenue in money per method and budget (the ratios elsewhere hide the scale): IPW spend
 * per user and on the test split, and, against giving every user arm 0, the incremental revenue and its return
 * on the incremental spend. Empty string when no method has per-budget results.
 */
export function moneyTable(metrics: RunMetrics): string {
  const methods = activeMethods(metrics).filter((m) => m.budgets.length > 0);
  if (methods.length === 0) return '';
  const columns = moneyColumns(metrics);
  const head = ['method', ...columns.map((c) => c.header)]
    .map((h, i) => {
      const help = i === 0 ? '' : ` title="${escapeHtml(columns[i - 1]?.help ?? '')}"`;
      return `<th scope="col"${i === 0 ? '' : ' class="num"'}${help}>${escapeHtml(h)}</th>`;
    })
    .join('');
  const rows: string[] = [];
  for (const m of methods) {
    const budgets = [...m.budgets].sort((a, b) => a.budget - b.budget);
    budgets.forEach((b, i) => {
      const lead = i === 0 ? `<th scope="rowgroup" rowspan="${budgets.length}">${escapeHtml(m.method)}</th>` : '';
      const cells = columns.map((c) => `<td class="num">${escapeHtml(c.format(c.cell(b)))}</td>`).join('');
      rows.push(`<tr${i === 0 ? ' class="group-start"' : ''}>${lead}${cells}</tr>`);
    });
  }
  const note = metrics.arm0
    ? `Money in the cost column's units. Incremental: against every test user getting arm 0 ` +
      `(${metrics.arms[0] ?? 'arm 0'}: revenue ${amount(metrics.arm0.revenue)}, cost ${amount(metrics.arm0.cost)} ` +
      'per user, IPW). Spend and revenue are IPW estimates on the RCT test rows.'
    : "Money in the cost column's units (IPW estimates on the RCT test rows). This run's metrics predate arm 0's " +
      'value, so incremental revenue is not shown.';
  return (
    '<h3>Spend and incremental revenue</h3>\n' +
    `<table id="money" class="metrics detail">\n<thead><tr>${head}</tr></thead>\n` +
    `<tbody>\n${rows.join('\n')}\n</tbody>\n</table>\n<p class="caption">${escapeHtml(note)}</p>`
  );
}
