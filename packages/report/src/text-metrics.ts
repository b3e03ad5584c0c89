import * as vega from 'vega';

/**
 * Text widths for Vega's layout in Node. Without a canvas Vega guesses 0.8 em per character, about 1.6 times
 * the real width of a Helvetica/Arial string: long axis titles then claim twice their space, panels drift
 * apart and legends are pushed out. Vega accepts a user-defined `textMetrics.width` (as vl-convert does);
 * this one sums per-character advance widths of Helvetica-like fonts, grouped into classes (in em).
 */
const CLASSES: readonly [string, number][] = [
  ['ijl', 0.222],
  [" '|!.,:;", 0.278],
  ['ftI/\\[]', 0.278],
  ['r()-{}`', 0.333],
  ['"*^', 0.389],
  ['cksvxyzJ', 0.5],
  ['0123456789abdeghnopqu#$_?+=<>~÷±', 0.556],
  ['FTZL', 0.611],
  ['ABEKPSVXYΔ&', 0.667],
  ['CDHNRUw', 0.722],
  ['GOQ', 0.778],
  ['mM', 0.833],
  ['%', 0.889],
  ['W@', 0.944],
];

const WIDTH = new Map<string, number>();
for (const [chars, em] of CLASSES) for (const ch of chars) if (!WIDTH.has(ch)) WIDTH.set(ch, em);

/** Lowercase-like default for characters not in the table (Greek letters, accents, dashes). */
const DEFAULT_EM = 0.556;
/** Bold Helvetica is about 6% wider. */
const BOLD_FACTOR = 1.06;

/** Approximate advance width in pixels of `text` in a Helvetica-like font of `fontSize` px. */
export function approxTextWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) em += WIDTH.get(ch) ?? DEFAULT_EM;
  return em * fontSize * (bold ? BOLD_FACTOR : 1);
}

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
}

/** Vega's hook: width of `text` as drawn by a scenegraph text item. */
function itemTextWidth(item: TextItem, text: unknown): number {
  const value = text == null ? '' : String(text).trim();
  const size = typeof item.fontSize === 'number' ? item.fontSize : 11;
  const weight = item.fontWeight;
  const bold = weight === 'bold' || (typeof weight === 'number' && weight >= 600);
  return size <= 0 ? 0 : approxTextWidth(value, size, bold);
}

/** Makes Vega use `approxTextWidth` for layout (idempotent; affects only this process's Vega). */
export function useApproxTextMetrics(): void {
  const metrics = (vega as unknown as { textMetrics: { width: unknown } }).textMetrics;
  metrics.width = itemTextWidth;
}
