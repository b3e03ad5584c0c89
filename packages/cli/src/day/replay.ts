import type { SimSplit } from '@bidfcl/core';
import { createRng, deriveSeed } from '@bidfcl/core';
import { arrivalHours, costFactor, type Drift } from './drift.js';

const DAY0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;

export interface DayResult {
  drift: string;
  mode: 'paced' | 'fixed';
  spend: number;
  revenue: number;
  budget: number;
  lambdaChanges: number;
  exhaustedAtHour: number | undefined;
}

async function call(url: string, method: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${String(json.message ?? '')}`);
  return json;
}

/**
 * One simulated day against a running service (docs/method.md §8): a plan for the day, then each arrival in time
 * order asks POST /v1/decide with its features; a redemption is drawn from the simulator's true purchase
 * probability of the arm given, costs the arm's face value × the drift, and is posted to /v1/spend. Revenue is
 * the simulator's true expected revenue of the arm given. Deterministic for a seed (requests are sequential).
 */
export async function replayDay(o: {
  url: string;
  model: string;
  users: SimSplit;
  armValues: readonly number[];
  budget: number;
  lambda0: number;
  drift: Drift;
  mode: 'paced' | 'fixed';
  seed: number;
}): Promise<DayResult> {
  const { users, drift } = o;
  const maxFace = Math.max(...o.armValues) * costFactor(drift, 23.99);
  await call(`${o.url}/v1/pacing/${o.model}`, 'PUT', {
    budget: o.budget,
    start: DAY0,
    end: DAY0 + 24 * HOUR,
    lambda0: o.lambda0,
    // The dearest single redemption: what must remain for the hard stop to keep spend under the budget.
    reserve: Math.min(maxFace, 0.5 * o.budget),
    tickMs: 5 * 60_000,
    mode: o.mode,
  });
  const rng = createRng(deriveSeed(o.seed, 'simulate-day', drift.label));
  const hours = arrivalHours(users.n, drift);
  let spend = 0;
  let revenue = 0;
  let exhaustedAtHour: number | undefined;
  for (let i = 0; i < users.n; i++) {
    const at = DAY0 + hours[i]! * HOUR;
    const features: Record<string, number> = {};
    for (let k = 0; k < users.d; k++) features[`x${k}`] = users.x[i * users.d + k]!;
    const userId = `day-${i}`;
    const d = await call(`${o.url}/v1/decide`, 'POST', { model: o.model, userId, features, at });
    const arm = d.armIndex as number;
    if (d.budgetExhausted && exhaustedAtHour === undefined) exhaustedAtHour = hours[i];
    const k = i * users.m + arm;
    revenue += users.trueRevenue![k]!;
    if (rng.next() < users.truePurchase![k]!) {
      const amount = o.armValues[arm]! * costFactor(drift, hours[i]!);
      if (amount > 0) {
        spend += amount;
        await call(`${o.url}/v1/spend`, 'POST', { model: o.model, eventId: `e${i}`, userId, arm, amount, at });
      }
    }
  }
  const pacing = await call(`${o.url}/v1/pacing/${o.model}?log=1000`, 'GET');
  return {
    drift: drift.label,
    mode: o.mode,
    spend,
    revenue,
    budget: o.budget,
    lambdaChanges: (pacing.lambdaLog as unknown[]).length,
    exhaustedAtHour,
  };
}
