import { FONT } from './chart-common.js';
import { escapeHtml } from './escape.js';

/**
 * Inline stylesheet of the report. Plain CSS with no imports, fonts or URLs, so the file opens offline. The
 * SVGs scale down with the page (their viewBox keeps proportions) but never up past their drawn size.
 */
export const REPORT_CSS =
  `
:root { color-scheme: light; }
body { font-family: ${FONT}; color: #1d1d1f; background: #fafafa; margin: 0; line-height: 1.45; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 6px; }
h2 { font-size: 19px; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #ddd; }
h3 { font-size: 15px; margin: 22px 0 4px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 2px 14px; ` +
  `margin: 10px 0 0; font-size: 14px; }
dl.meta dt { color: #666; }
dl.meta dd { margin: 0; }
table.metrics { border-collapse: collapse; font-size: 14px; margin: 8px 0; }
table.metrics th, table.metrics td { padding: 4px 10px; border-bottom: 1px solid #e6e6e6; text-align: left; }
table.metrics thead th { border-bottom: 2px solid #bbb; font-weight: 600; vertical-align: bottom; }
table.metrics .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.metrics tbody th { font-weight: 500; white-space: nowrap; }
table.metrics td.best { font-weight: 700; }
table.metrics tr.reference th, table.metrics tr.reference td { color: #666; }
table.detail { font-size: 13px; }
table.detail tr.group-start > * { border-top: 2px solid #ccc; }
table.detail th[scope="rowgroup"] { vertical-align: top; }
.swatch { display: inline-block; width: 11px; height: 11px; margin-right: 7px; border-radius: 2px; ` +
  `vertical-align: baseline; }
.tag { font-size: 11px; color: #777; border: 1px solid #ccc; border-radius: 3px; padding: 0 4px; margin-left: 4px; }
.caption, .note { font-size: 13.5px; color: #555; margin: 2px 0 8px; max-width: 900px; }
.note { font-style: italic; }
.skipped ul { margin: 4px 0; padding-left: 20px; font-size: 14px; }
figure { margin: 6px 0 14px; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; display: block; }
details > summary { cursor: pointer; font-size: 14px; color: #333; margin: 8px 0; }
footer { margin-top: 40px; font-size: 12px; color: #777; }
`;

/** A complete HTML document: escaped title, the inline stylesheet, and `body` (already-safe HTML). */
export function htmlPage(title: string, body: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
