import { usageError } from '../cli-error.js';

/** A drift setting of simulate-day: true costs and arrival density multiplied from an hour of the day on. */
export interface Drift {
  label: string;
  cost: { factor: number; fromHour: number } | undefined;
  traffic: { factor: number; fromHour: number } | undefined;
}

/** `none`, or `cost:1.2@12`, `traffic:1.5@12`, or both joined by '+'. */
export function parseDrift(spec: string): Drift {
  const d: Drift = { label: spec, cost: undefined, traffic: undefined };
  if (spec === 'none') return d;
  for (const part of spec.split('+')) {
    const m = /^(cost|traffic):([0-9.]+)@([0-9.]+)$/.exec(part);
    if (!m || !(Number(m[2]) > 0) || !(Number(m[3]) >= 0 && Number(m[3]) < 24))
      throw usageError(`--drift: '${part}' is not none, cost:<factor>@<hour> or traffic:<factor>@<hour>`);
    d[m[1] as 'cost' | 'traffic'] = { factor: Number(m[2]), fromHour: Number(m[3]) };
  }
  return d;
}

/** The multiplier of true costs at `hour`. */
export const costFactor = (d: Drift, hour: number) => (d.cost && hour >= d.cost.fromHour ? d.cost.factor : 1);

/**
 * Arrival hours of `n` users for uniform traffic, or traffic × factor from an hour on: the inverse of the
 * cumulative density at evenly spread quantiles (deterministic, no draw needed).
 */
export function arrivalHours(n: number, d: Drift): number[] {
  const h0 = d.traffic?.fromHour ?? 24;
  const f = d.traffic?.factor ?? 1;
  const total = h0 + f * (24 - h0);
  return Array.from({ length: n }, (_, i) => {
    const q = ((i + 0.5) / n) * total;
    return q <= h0 ? q : h0 + (q - h0) / f;
  });
}
