import type { RunMetrics } from '@bidfcl/contracts';
import { chartPlans, type ChartPlan } from './chart-plans.js';
import { deploySection } from './deploy-section.js';
import { escapeHtml } from './escape.js';
import { amount, percent } from './format.js';
import { moneyTable } from './money-table.js';
import { methodColours } from './palette.js';
import { parametersSection } from './parameters.js';
import { previousRunSection } from './previous-run.js';
import { renderSvg } from './render-svg.js';
import { activeMethods, budgetTable, headlineTable, skippedList } from './tables.js';
import { htmlPage } from './template.js';

/** Options of the report. */
export interface ReportOptions {
  /** Page title; default "Run <runId> — <dataset>". */
  title?: string;
  /** Shown as "generated" when given. Never read from the clock, so equal inputs give equal files. */
  generatedAt?: string;
}

/** The report and what the chart libraries complained about while drawing it (empty when all is well). */
export interface RenderedReport {
  html: string;
  /** Vega / Vega-Lite warnings, and errors of charts that could not be drawn (those get a note instead). */
  warnings: string[];
  /** Number of charts drawn (inline SVGs). */
  charts: number;
}

/** The run's identity: run id, dataset, seed, arms, test rows, random-assignment cost, truth, dates. */
function metaBlock(metrics: RunMetrics, opts: ReportOptions): string {
  const items: [string, string][] = [
    ['run', metrics.runId],
    ['dataset', metrics.dataset],
    ['seed', String(metrics.seed)],
    ['test rows', String(metrics.testRows)],
    ['arms', `${metrics.arms.length}: ${metrics.arms.join(', ')}`],
    ['random-assignment cost', amount(metrics.randomCost)],
    ['ground truth', metrics.hasTruth ? 'yes (simulator)' : 'no (estimates only)'],
    ['created', metrics.createdAt],
  ];
  if (opts.generatedAt !== undefined) items.push(['report generated', opts.generatedAt]);
  return (
    '<dl class="meta">' + `${items.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`
  );
}

/** What the headline numbers mean, under the table. */
function headlineNote(metrics: RunMetrics): string {
  const methods = activeMethods(metrics);
  const fractions = [...new Set(methods.flatMap((m) => m.budgets.map((b) => b.fraction)))].sort((a, b) => a - b);
  const parts = [
    `Means over ${fractions.length} budget${fractions.length === 1 ? '' : 's'} ` +
      `(${fractions.map(percent).join(', ')} of the ` +
      `random assignment's cost, ${amount(metrics.randomCost)}).`,
    '“÷ tsm-rct” is relative to tsm-rct (tsm-rct = 1.0000).',
    'Bold: best learned method per column; oracle and random are references.',
  ];
  if (!methods.some((m) => m.mean.eomNormalised !== undefined)) {
    parts.push('No normalised values: tsm-rct is not among the methods that ran.');
  }
  if (metrics.hasTruth)
    parts.push('True value and oracle capture use the simulator’s ground truth; EOM is an IPW estimate.');
  return `<p class="caption">${escapeHtml(parts.join(' '))}</p>`;
}

/** HTML of one chart block; renders its spec (errors become a note, never an exception). */
async function planHtml(plan: ChartPlan, index: number, warnings: string[]): Promise<{ html: string; drawn: boolean }> {
  const tag = `h${plan.level}`;
  const parts = [`<${tag}>${escapeHtml(plan.heading)}</${tag}>`];
  if (plan.caption !== '') parts.push(`<p class="caption">${plan.caption}</p>`);
  let drawn = false;
  if (plan.spec !== null) {
    try {
      const svg = await renderSvg(plan.spec, `c${index}`, warnings);
      parts.push(`<figure>${svg}</figure>`);
      drawn = true;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      warnings.push(`chart "${plan.heading}" failed: ${message}`);
      parts.push(`<p class="note">${escapeHtml(`This chart could not be drawn: ${message}`)}</p>`);
    }
  } else if (plan.note !== '') {
    parts.push(`<p class="note">${escapeHtml(plan.note)}</p>`);
  }
  return { html: parts.join('\n'), drawn };
}

/**
 * The run report as one self-contained HTML document (inline CSS and SVG only, no scripts, no URLs): the run's
 * identity, the headline table (means over budgets per method), skipped methods with their reasons, the
 * per-budget table, spend and incremental revenue in money, the deploy decision (when the run has one), then the
 * charts — true value (simulator) and EOM against budget, the value–budget curve over a dense range of budgets,
 * AUCC cost and Qini curves (two-arm data), arm shares per budget, training curves per trained method — and the
 * run's parameters. Every string from the metrics is escaped; missing data gives a short note instead of a chart,
 * and sections that do not apply (or that metrics written before them lack) are left out.
 * Deterministic: the same metrics and options give the same bytes. Charts are drawn one after another (~100 ms each).
 */
export async function renderReport(metrics: RunMetrics, opts: ReportOptions = {}): Promise<RenderedReport> {
  const colours = methodColours(activeMethods(metrics).map((m) => m.method));
  const warnings: string[] = [];
  const title = opts.title ?? `Run ${metrics.runId} — ${metrics.dataset}`;
  const body: string[] = [
    `<header><h1>${escapeHtml(title)}</h1>\n${metaBlock(metrics, opts)}</header>`,
    '<h2>Headline numbers</h2>',
    headlineTable(metrics, colours),
    headlineNote(metrics),
    previousRunSection(metrics),
    skippedList(metrics),
    '<h3>Per budget</h3>',
    budgetTable(metrics, colours),
    moneyTable(metrics),
    deploySection(metrics),
  ];
  let charts = 0;
  const plans = chartPlans(metrics, colours);
  for (const [i, plan] of plans.entries()) {
    const { html, drawn } = await planHtml(plan, i + 1, warnings);
    body.push(html);
    if (drawn) charts += 1;
  }
  body.push(parametersSection(metrics));
  body.push(
    '<footer>The same numbers are in metrics.json beside this file. ' +
      'Charts drawn with Vega-Lite, rendered to inline SVG.</footer>',
  );
  return { html: htmlPage(title, body.filter((s) => s !== '').join('\n')), warnings, charts };
}

/** `renderReport(metrics, opts).html`: the self-contained report.html of a run. */
export async function renderReportHtml(metrics: RunMetrics, opts: ReportOptions = {}): Promise<string> {
  return (await renderReport(metrics, opts)).html;
}

/**
 * The options of a run's report.html: title and date come from the metrics alone, so drawing a run's
 * metrics.json again (`bidfcl report <runId> --render`) gives the bytes the evaluator wrote.
 */
export function runReportOptions(metrics: RunMetrics): ReportOptions {
  return { title: `bidfcl run ${metrics.runId}`, generatedAt: metrics.createdAt };
}
