import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { useApproxTextMetrics } from './text-metrics.js';

/** Collects Vega and Vega-Lite warnings instead of printing them, so the caller decides what to do. */
class CollectingLogger {
  private current: number = vega.Warn;
  constructor(private readonly sink: string[]) {}
  level(): number;
  level(level: number): this;
  level(level?: number): number | this {
    if (level === undefined) return this.current;
    this.current = level;
    return this;
  }
  error(...args: readonly unknown[]): this {
    this.sink.push(`error: ${args.map(String).join(' ')}`);
    return this;
  }
  warn(...args: readonly unknown[]): this {
    if (this.current >= vega.Warn) this.sink.push(args.map(String).join(' '));
    return this;
  }
  info(): this {
    return this;
  }
  debug(): this {
    return this;
  }
}

/** `resetSVGDefIds` exists at runtime in vega 5 but is missing from its typings. */
const resetSvgDefIds = (vega as unknown as { resetSVGDefIds?: () => void }).resetSVGDefIds;

/**
 * Compiles a Vega-Lite spec and renders it to an SVG string in Node (no DOM, no canvas, no network: data is
 * inline). The result is ready to inline in HTML:
 * - the XML namespace attributes are dropped (HTML parsing places <svg> in the SVG namespace by itself, and
 *   the report must contain no http(s) URL at all);
 * - Vega's clip-path ids come from a process-wide counter; it is reset before each chart and the ids are
 *   prefixed with `idPrefix`, so the output does not depend on what was rendered before, and several charts
 *   in one page cannot collide.
 * Text is measured with `approxTextWidth` (no canvas in Node). Warnings from Vega-Lite and Vega are appended to
 * `warnings`. Charts must be rendered one at a time (the id counter is global).
 */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string, warnings: string[] = []): Promise<string> {
  useApproxTextMetrics();
  const logger = new CollectingLogger(warnings);
  const compiled = compile(spec, { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger, logLevel: vega.Warn });
  try {
    resetSvgDefIds?.();
    const svg = await view.toSVG();
    return inlineable(svg, idPrefix);
  } finally {
    view.finalize();
  }
}

/** Removes namespace declarations and makes every id (and its references) unique to this chart. */
function inlineable(svg: string, idPrefix: string): string {
  return svg
    .replace(/^<svg([^>]*?)\s+xmlns="[^"]*"/, '<svg$1')
    .replace(/^<svg([^>]*?)\s+xmlns:xlink="[^"]*"/, '<svg$1')
    .replace(/\sid="([^"]+)"/g, (_m, id: string) => ` id="${idPrefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${idPrefix}-${id})`)
    .replace(/href="#([^"]+)"/g, (_m, id: string) => `href="#${idPrefix}-${id}"`);
}
