/**
 * The run report: one self-contained HTML page (tables and Vega-Lite charts as inline SVG) drawn from a run's
 * metrics.json. Pure: no store, no queues, no clock.
 */
export { renderReport, renderReportHtml, runReportOptions } from './render-report.js';
export type { RenderedReport, ReportOptions } from './render-report.js';
export { escapeHtml } from './escape.js';
export { armColours, methodColours } from './palette.js';
export { renderSvg } from './render-svg.js';
