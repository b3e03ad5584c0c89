import type { RunMetrics } from '@bidfcl/contracts';
import { escapeHtml } from './escape.js';

/** A scalar or a list of scalars as the config file would spell it; objects are flattened by the caller. */
function valueText(value: unknown): string {
  if (Array.isArray(value)) return value.map(valueText).join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Nested config sections as (dotted key, text) rows in the config's own order, e.g. ['training.epochs', '20'].
 * An empty object (an override block nobody used) gives no row.
 */
export function flattenParameters(value: unknown, prefix = ''): [string, string][] {
  if (!isObject(value)) return prefix === '' ? [] : [[prefix, valueText(value)]];
  return Object.entries(value).flatMap(([k, v]) => flattenParameters(v, prefix === '' ? k : `${prefix}.${k}`));
}

/** The run's parameters (config sections) as a two-column table; empty string when the metrics carry none. */
export function parametersSection(metrics: RunMetrics): string {
  const rows = flattenParameters(metrics.parameters ?? {});
  if (rows.length === 0) return '';
  let section = '';
  const body = rows.map(([key, text]) => {
    const top = key.split('.')[0] ?? key;
    const cls = top !== section ? ' class="group-start"' : '';
    section = top;
    return `<tr${cls}><th scope="row">${escapeHtml(key)}</th><td>${escapeHtml(text)}</td></tr>`;
  });
  return (
    '<h2>Run parameters</h2>\n<p class="caption">The configuration this run trained and evaluated with ' +
    '(defaults filled in), as run.json records it.</p>\n' +
    `<table id="parameters" class="metrics detail">\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>`
  );
}
