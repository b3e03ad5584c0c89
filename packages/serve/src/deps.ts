import type { Redis } from 'ioredis';
import { isExhausted, type PacingPlan } from '@bidfcl/core';
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import { isSnapshot, type Catalog } from './catalog.js';
import type { Metrics } from './metrics.js';
import type { PacingStore, PacingView } from './pacing-store.js';
import type { Snapshot } from './snapshot.js';

/** What the routes share: the snapshots, the pacing state in Redis, metrics. */
export interface ServeDeps {
  catalog: Catalog;
  pacing: PacingStore;
  redis: Redis;
  metrics: Metrics;
  log: FastifyBaseLogger;
}

/** An HTTP error with a JSON body `{ error, message }` (the error handler writes it). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const redisDown = () =>
  new HttpError(503, 'unavailable', 'the budget state (Redis) is unreachable; decisions resume when it is back');

/** The snapshot of `model` (or of the only model served), or the 400/404/503 that says why there is none. */
export function snapshotFor(deps: ServeDeps, model: string | undefined): Snapshot {
  let name = model;
  if (name === undefined) {
    const all = deps.catalog.all();
    if (all.length !== 1)
      throw new HttpError(400, 'bad_request', 'name the model: ?model=<name> (or "model" in the body)');
    name = all[0]!.model;
  }
  const s = deps.catalog.get(name);
  if (isSnapshot(s)) return s;
  if (s.kind === 'unknown') throw new HttpError(404, 'unknown_model', `model '${name}' is not served here`);
  throw new HttpError(503, 'no_allocation', s.reason);
}

/** The λ to decide with now and whether the hard stop applies: the paced λ when a plan runs, else λ*. */
export interface Pace {
  lambda: number;
  exhausted: boolean;
  view?: PacingView;
}

export async function paceFor(deps: ServeDeps, snap: Snapshot, now: number, reply: FastifyReply): Promise<Pace> {
  if (deps.redis.status !== 'ready') throw redisDown();
  let view = await deps.pacing.readCached(snap.model);
  if (!view) return { lambda: snap.lambdaStar, exhausted: false };
  const advanced = await deps.pacing.advance(snap.model, view, now);
  view = advanced.view;
  if (advanced.stepped) logStep(deps, snap.model, view.plan, advanced.stepped, reply.log);
  const { plan, state, spend } = view;
  const lambda = plan.mode === 'fixed' ? plan.lambda0 : state.lambda;
  deps.metrics.lambda.set({ model: snap.model, kind: 'paced' }, lambda);
  deps.metrics.spend.set({ model: snap.model, kind: 'realised' }, spend);
  deps.metrics.spend.set({ model: snap.model, kind: 'budget' }, plan.budget);
  return { lambda, exhausted: state.exhausted || isExhausted(plan, spend), view };
}

function logStep(deps: ServeDeps, model: string, plan: PacingPlan, s: PacingView['state'], log: FastifyBaseLogger) {
  deps.metrics.lambdaChanges.inc({ model });
  log.info(
    {
      model,
      tick: s.tick,
      lambda: s.lambda,
      spend: s.spend,
      planned: s.planned,
      budget: plan.budget,
      exhausted: s.exhausted,
    },
    `pacing: λ = ${s.lambda.toPrecision(6)} at tick ${s.tick} ` +
      `(spend ${s.spend.toFixed(2)} vs planned ${s.planned.toFixed(2)})`,
  );
}

/** Event time: `at` (ISO 8601 or epoch ms) when given, else now. */
export function eventTime(at: string | number | undefined): number {
  if (at === undefined) return Date.now();
  const t = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(t)) throw new HttpError(400, 'bad_request', `'at' is not a time: ${JSON.stringify(at)}`);
  return t;
}
