import type { DiffSe, MethodMetrics, RunMetrics } from '@bidfcl/contracts';
import { escapeHtml } from './escape.js';
import { MISSING, amount, percent, ratio, seconds, share } from './format.js';
import { isReference } from './palette.js';

/** A numeric column of the headline table. */
interface HeadlineColumn {
  header: string;
  /** Hover text explaining the column. */
  help: string;
  value: (m: MethodMetrics) => number | undefined;
  format: (v: number | undefined) => string;
  /** Bold the best learned method (higher is better); false for columns without a "better". */
  best: boolean;
  /** The cell's text when it is more than the formatted value (an interval); defaults to format(value). */
  text?: (m: MethodMetrics) => string;
  /** False: shown as a dash for oracle and random (their training time of 0 s would read like a measurement). */
  forReferences?: boolean;
}

const HEADLINE_COLUMNS: readonly HeadlineColumn[] = [
  {
    header: 'true value ÷ tsm-rct',
    help: 'Mean over budgets of the true revenue of the allocation, relative to tsm-rct (simulator ground truth).',
    value: (m) => m.mean.trueValueNormalised,
    format: ratio,
    best: true,
  },
  {
    header: 'oracle capture',
    help: 'Mean over budgets of (V − V_random) / (V_oracle − V_random): 0 = random, 1 = oracle.',
    value: (m) => m.mean.oracleCapture,
    format: share,
    best: true,
  },
  {
    header: 'EOM ÷ tsm-rct',
    help: 'Mean over budgets of the IPW expected outcome on RCT test rows, relative to tsm-rct.',
    value: (m) => m.mean.eomNormalised,
    format: ratio,
    best: true,
  },
  {
    header: 'SE',
    help:
      "Standard error of EOM ÷ tsm-rct from the test rows (λ held at its estimate; tsm-rct's EOM held fixed): " +
      'the noise of the test split alone.',
    value: (m) => m.mean.eomNormalisedSe,
    format: ratio,
    best: false,
  },
  {
    header: 'EOM − tsm-rct (95% CI)',
    help:
      'Mean over budgets of EOM ÷ tsm-rct − 1, paired with tsm-rct on the same test rows, and its 95% interval ' +
      '(± 1.96 SE): an interval that holds 0 is a difference the test split cannot tell from noise.',
    value: (m) => m.mean.eomNormalisedVsTsmRct?.diff,
    format: ratio,
    text: (m) => diffInterval(m.mean.eomNormalisedVsTsmRct, ratio),
    best: false,
  },
  {
    header: 'EOM',
    help: 'Mean over budgets of the IPW expected outcome (revenue per user) on RCT test rows.',
    value: (m) => m.mean.eom,
    format: amount,
    best: true,
  },
  {
    header: 'AUCC',
    help: 'Area under the cost curve (two-arm data); random targeting gives about 0.5.',
    value: (m) => m.aucc,
    format: share,
    best: true,
  },
  {
    header: 'Qini',
    help: 'Qini coefficient (scikit-uplift convention, two-arm data).',
    value: (m) => m.qini,
    format: share,
    best: true,
  },
  {
    header: 'train s',
    help: 'Training wall-clock time in seconds.',
    value: (m) => m.trainSeconds,
    format: seconds,
    best: false,
    forReferences: false,
  },
];

const finite = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);

/** "+0.0310 [+0.0120, +0.0500]": a paired difference and its 95% interval (± 1.96 SE). */
export function diffInterval(d: DiffSe | undefined, format: (v: number) => string): string {
  if (!d || !finite(d.diff) || !finite(d.se)) return MISSING;
  const signed = (v: number) => (v >= 0 ? '+' : '') + format(v);
  return `${signed(d.diff)} [${signed(d.diff - 1.96 * d.se)}, ${signed(d.diff + 1.96 * d.se)}]`;
}

/** "[9.250, 9.722]": an estimate's 95% interval (± 1.96 SE); the dash without a finite estimate and SE. */
export function interval(value: number, se: number | undefined, format: (v: number) => string): string {
  if (!finite(value) || !finite(se)) return MISSING;
  return `[${format(value - 1.96 * se)}, ${format(value + 1.96 * se)}]`;
}

/** Methods that produced results (not skipped), in the run's order. */
export function activeMethods(metrics: RunMetrics): MethodMetrics[] {
  return metrics.methods.filter((m) => m.skipped === undefined);
}

/** A coloured square tying a table row to the method's lines in the charts. */
function swatch(colour: string | undefined): string {
  return colour === undefined ? '' : `<span class="swatch" style="background:${colour}"></span>`;
}

/** Method name cell content: swatch, escaped name, and a "reference" tag for oracle and random. */
function methodLabel(method: string, colours: ReadonlyMap<string, string>): string {
  const tag = isReference(method) ? ' <span class="tag">reference</span>' : '';
  return `${swatch(colours.get(method))}${escapeHtml(method)}${tag}`;
}

const EPOCH_HELP = 'Selected checkpoint (what selected it: under the training curves) / last epoch.';

/** "selected / last" epoch, or the dash when the method has no training history. */
function epochCell(m: MethodMetrics): string {
  const epochs = m.training.map((e) => e.epoch).filter(finite);
  if (epochs.length === 0) return MISSING;
  const last = Math.max(...epochs);
  return m.selectedEpoch === undefined ? `— / ${last}` : `${m.selectedEpoch} / ${last}`;
}

/**
 * The headline table: one row per method that ran, the means over budgets. A column appears only when some
 * method has a value for it (no truth columns on real data, no AUCC on multi-arm data). The best learned
 * method of each "higher is better" column is bold; oracle and random are references and never bold.
 */
export function headlineTable(metrics: RunMetrics, colours: ReadonlyMap<string, string>): string {
  const methods = activeMethods(metrics);
  if (methods.length === 0) return '<p class="note">No method produced results in this run.</p>';
  const columns = HEADLINE_COLUMNS.filter((c) => methods.some((m) => finite(c.value(m))));
  const bestOf = new Map<HeadlineColumn, number>();
  for (const c of columns) {
    if (!c.best) continue;
    const values = methods
      .filter((m) => !isReference(m.method))
      .map((m) => c.value(m))
      .filter(finite);
    if (values.length > 1) bestOf.set(c, Math.max(...values));
  }
  const showEpochs = methods.some((m) => m.training.length > 0);
  const head = [
    '<th scope="col">method</th>',
    ...columns.map((c) => `<th scope="col" class="num" title="${escapeHtml(c.help)}">${escapeHtml(c.header)}</th>`),
    ...(showEpochs ? [`<th scope="col" class="num" title="${EPOCH_HELP}">epoch sel. / last</th>`] : []),
  ].join('');
  const body = methods
    .map((m) => {
      const cells = columns.map((c) => {
        const v = c.forReferences === false && isReference(m.method) ? undefined : c.value(m);
        const best = bestOf.get(c);
        const isBest = best !== undefined && !isReference(m.method) && finite(v) && c.format(v) === c.format(best);
        const text = c.text && v !== undefined ? c.text(m) : c.format(v);
        return `<td class="num${isBest ? ' best' : ''}">${escapeHtml(text)}</td>`;
      });
      if (showEpochs) cells.push(`<td class="num">${escapeHtml(epochCell(m))}</td>`);
      const cls = isReference(m.method) ? ' class="reference"' : '';
      return `<tr${cls}><th scope="row">${methodLabel(m.method, colours)}</th>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<table id="headline" class="metrics">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** One column of the per-budget table. */
interface DetailColumn {
  header: string;
  cell: (b: MethodMetrics['budgets'][number]) => string;
  has: (b: MethodMetrics['budgets'][number]) => boolean;
}

const DETAIL_COLUMNS: readonly DetailColumn[] = [
  { header: 'budget', cell: (b) => amount(b.budget), has: (b) => finite(b.budget) },
  { header: 'λ', cell: (b) => amount(b.lambda), has: (b) => finite(b.lambda) },
  { header: 'EOM', cell: (b) => amount(b.eom), has: (b) => finite(b.eom) },
  { header: 'IPW cost', cell: (b) => amount(b.eomCost), has: (b) => finite(b.eomCost) },
  { header: 'EOM SE', cell: (b) => amount(b.eomSe), has: (b) => finite(b.eomSe) },
  { header: 'EOM 95% CI', cell: (b) => interval(b.eom, b.eomSe, amount), has: (b) => finite(b.eomSe) },
  { header: 'EOM ÷ tsm-rct', cell: (b) => ratio(b.eomNormalised), has: (b) => finite(b.eomNormalised) },
  {
    header: 'EOM − tsm-rct (95% CI)',
    cell: (b) => diffInterval(b.eomVsTsmRct, amount),
    has: (b) => finite(b.eomVsTsmRct?.diff),
  },
  { header: 'true value', cell: (b) => amount(b.trueValue), has: (b) => finite(b.trueValue) },
  {
    header: 'true value ÷ tsm-rct',
    cell: (b) => ratio(b.trueValueNormalised),
    has: (b) => finite(b.trueValueNormalised),
  },
  { header: 'oracle capture', cell: (b) => share(b.oracleCapture), has: (b) => finite(b.oracleCapture) },
];

/**
 * Every method at every budget (long format, the method cell spanning its budgets): budget as a share of the
 * random assignment's cost and in raw units, λ, IPW EOM and cost, and where known the true value and capture.
 */
export function budgetTable(metrics: RunMetrics, colours: ReadonlyMap<string, string>): string {
  const methods = activeMethods(metrics).filter((m) => m.budgets.length > 0);
  if (methods.length === 0) return '<p class="note">No per-budget results in this run.</p>';
  const all = methods.flatMap((m) => m.budgets);
  const columns = DETAIL_COLUMNS.filter((c) => all.some(c.has));
  const head = ['method', 'share of random cost', ...columns.map((c) => c.header)]
    .map((h, i) => `<th scope="col"${i === 0 ? '' : ' class="num"'}>${escapeHtml(h)}</th>`)
    .join('');
  const rows: string[] = [];
  for (const m of methods) {
    const budgets = [...m.budgets].sort((a, b) => a.fraction - b.fraction);
    budgets.forEach((b, i) => {
      const lead =
        i === 0 ? `<th scope="rowgroup" rowspan="${budgets.length}">${methodLabel(m.method, colours)}</th>` : '';
      const cells = [percent(b.fraction), ...columns.map((c) => c.cell(b))].map(
        (t) => `<td class="num">${escapeHtml(t)}</td>`,
      );
      rows.push(`<tr${i === 0 ? ' class="group-start"' : ''}>${lead}${cells.join('')}</tr>`);
    });
  }
  return (
    `<table id="budgets" class="metrics detail">\n<thead><tr>${head}</tr></thead>\n` +
    `<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`
  );
}

/** The skipped methods with their reasons; empty string when none was skipped. */
export function skippedList(metrics: RunMetrics): string {
  const skipped = metrics.methods.filter((m) => m.skipped !== undefined);
  if (skipped.length === 0) return '';
  const items = skipped
    .map((m) => `<li><strong>${escapeHtml(m.method)}</strong>: ${escapeHtml(m.skipped ?? '')}</li>`)
    .join('\n');
  return `<div class="skipped"><h3>Skipped methods</h3>\n<ul>\n${items}\n</ul></div>`;
}
