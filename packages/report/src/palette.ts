/**
 * Colours per method, fixed by method id so that a method has the same colour in every chart of a report and
 * across reports (benchmarks put several runs side by side). Families share a hue family: two-stage models in
 * blues/greens, DFCL in browns/purples, Bi-DFCL in reds/oranges/pinks. The references are neutral and dashed.
 */
const KNOWN: Record<string, string> = {
  'tsm-rct': '#1f77b4',
  'tsm-obs': '#17becf',
  'tsm-both': '#2ca02c',
  'tsm-ips': '#8c8c1c',
  'dfcl-dpl': '#8c564b',
  'dfcl-difd': '#c08552',
  'dfcl-ppl': '#9467bd',
  'dfcl-pifd': '#5e3c99',
  'bidfcl-ppl': '#d62728',
  'bidfcl-pifd': '#ff7f0e',
  'bidfcl-ppl-explicit': '#e377c2',
  'bidfcl-pifd-explicit': '#b8860b',
  'bidfcl-fixgate': '#7b2d43',
  // Debiasing baselines (docs/method.md §3.7–§3.10): greys-to-teals, apart from the three families above.
  'dr-jt': '#4a7c7c',
  dragonnet: '#6b8e23',
  'ltd-dr': '#5f6b8a',
  autodebias: '#8a6b5f',
  oracle: '#222222',
  random: '#9a9a9a',
};

/** Colours handed out, in order, to methods the table above does not know (custom method names). */
const EXTRA = ['#393b79', '#637939', '#843c39', '#3182bd', '#31a354', '#756bb1', '#e6550d', '#636363'];

/** Reference methods (upper and lower limits), drawn dashed and left out of "best" highlighting. */
export const REFERENCE_METHODS: ReadonlySet<string> = new Set(['oracle', 'random']);

/** True when `method` is a reference (oracle, random) rather than a learned model. */
export function isReference(method: string): boolean {
  return REFERENCE_METHODS.has(method);
}

/**
 * Colour for each method of `methods` (in the order given). Unknown names take the extra colours in order of
 * appearance, so the mapping depends only on the list, never on chance.
 */
export function methodColours(methods: readonly string[]): Map<string, string> {
  const colours = new Map<string, string>();
  let extra = 0;
  for (const method of methods) {
    if (colours.has(method)) continue;
    const known = KNOWN[method];
    if (known !== undefined) {
      colours.set(method, known);
    } else {
      colours.set(method, EXTRA[extra % EXTRA.length] ?? '#636363');
      extra += 1;
    }
  }
  return colours;
}

/** True when `method` has a fixed colour of its own (every id of the methods enum should; a test checks). */
export function hasFixedColour(method: string): boolean {
  return Object.prototype.hasOwnProperty.call(KNOWN, method);
}

/**
 * Colours for the arms of the arm-share chart: arm 0 ("no action") light grey, the other arms a light-to-dark
 * blue ramp in arm order, so a stack reads as "more intensive treatment is darker".
 */
export function armColours(count: number): string[] {
  const colours: string[] = [];
  if (count <= 0) return colours;
  colours.push('#d9d9d9');
  const treated = count - 1;
  // Endpoints of the ramp (light steel blue to dark navy), interpolated in RGB.
  const from = [158, 202, 225];
  const to = [8, 48, 107];
  for (let k = 0; k < treated; k += 1) {
    const t = treated === 1 ? 1 : k / (treated - 1);
    const rgb = from.map((c, i) => Math.round(c + ((to[i] ?? c) - c) * t));
    colours.push(`#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`);
  }
  return colours;
}
