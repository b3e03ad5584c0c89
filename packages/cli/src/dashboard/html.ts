import { escapeHtml } from '@bidfcl/report';
import { fmt } from '../output.js';

/** The report's escaping, for any value: store data (error messages, ids) is untrusted. */
export const esc = (text: unknown): string => escapeHtml(String(text ?? ''));

/** HTML that is already escaped, so that {@link cell} does not escape it again (links). */
export class Raw {
  constructor(readonly html: string) {}
}

export const link = (href: string, text: unknown) => new Raw(`<a href="${esc(href)}">${esc(text)}</a>`);

export type Cell = string | number | undefined | Raw;

/** A cell as the CLI's tables print it (numbers via fmt, missing as —), but counts as integers; escaped. */
function cell(c: Cell): string {
  if (c instanceof Raw) return c.html;
  if (c === undefined) return '—';
  if (typeof c === 'number') return esc(Number.isInteger(c) ? String(c) : fmt(c));
  return esc(c);
}

export function htmlTable(header: string[], rows: Cell[][], id?: string): string {
  const head = header.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table${id ? ` id="${esc(id)}"` : ''}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const STYLE = `body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}nav a{margin-right:1em}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}
th{background:#f3f3f3}.failed{color:#b00020}.cancelled{color:#8a6d00}.succeeded{color:#1b5e20}
pre{white-space:pre-wrap;background:#fff4f4;padding:.6em;border:1px solid #e0b4b4}`;

const NAV = [
  ['/', 'runs'],
  ['/models', 'models'],
  ['/allocations', 'allocations'],
  ['/queues', 'queues (Bull Board)'],
]
  .map(([href, text]) => `<a href="${href}">${text}</a>`)
  .join('');

/** A whole page: the navigation shared by every page, then `body` (already HTML). */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)} · bidfcl</title><style>${STYLE}</style></head>
<body><nav>${NAV}</nav>
<h1>${esc(title)}</h1>
${body}
</body></html>
`;
}

/** A status word styled by its value (failed in red, succeeded in green). */
export const statusCell = (status: string) => new Raw(`<span class="${esc(status)}">${esc(status)}</span>`);
