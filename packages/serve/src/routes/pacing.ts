import { assertPacingPlan, PACING_DEFAULTS, type PacingPlan } from '@bidfcl/core';
import type { FastifyInstance } from 'fastify';
import { HttpError, paceFor, redisDown, snapshotFor, type ServeDeps } from '../deps.js';

type PlanBody = Partial<Omit<PacingPlan, 'start' | 'end'>> & {
  budget: number;
  start?: string | number;
  end?: string | number;
};

const time = { anyOf: [{ type: 'string', maxLength: 64 }, { type: 'number' }] };
const num = { type: 'number' };

/** PUT /v1/pacing/:model starts a day's plan (replacing any); GET shows it, the controller's state and its λ log. */
export function pacingRoutes(app: FastifyInstance, deps: ServeDeps): void {
  app.put<{ Params: { model: string }; Body: PlanBody }>(
    '/v1/pacing/:model',
    {
      schema: {
        body: {
          type: 'object',
          required: ['budget'],
          additionalProperties: false,
          properties: {
            budget: num,
            start: time,
            end: time,
            profile: { type: 'array', maxItems: 1440, items: num },
            lambda0: num,
            reserve: num,
            tickMs: num,
            mode: { enum: ['paced', 'fixed'] },
            kp: num,
            ki: num,
          },
        },
      },
    },
    async (req) => {
      const snap = snapshotFor(deps, req.params.model);
      const b = req.body;
      const start = b.start === undefined ? Date.now() : typeof b.start === 'number' ? b.start : Date.parse(b.start);
      const end = b.end === undefined ? start + 86_400_000 : typeof b.end === 'number' ? b.end : Date.parse(b.end);
      const plan: PacingPlan = {
        ...PACING_DEFAULTS,
        profile: [],
        lambda0: snap.lambdaStar,
        // One redemption of the dearest arm cannot be bounded by the service; 0.5 % of the budget by default.
        reserve: 0.005 * b.budget,
        ...b,
        start,
        end,
      };
      try {
        assertPacingPlan(plan);
      } catch (err) {
        throw new HttpError(400, 'bad_request', (err as Error).message);
      }
      if (deps.redis.status !== 'ready') throw redisDown();
      const view = await deps.pacing.setPlan(snap.model, plan);
      deps.log.info({ model: snap.model, planId: view.planId, plan }, `pacing: new plan for ${snap.model}`);
      return { model: snap.model, planId: view.planId, plan, state: view.state };
    },
  );

  // A query string arrives as text and the app's validator does not coerce types (bodies stay strict), so the
  // count is matched as digits and read here.
  app.get<{ Params: { model: string }; Querystring: { log?: string } }>(
    '/v1/pacing/:model',
    {
      schema: { querystring: { type: 'object', properties: { log: { type: 'string', pattern: '^[0-9]{1,4}$' } } } },
    },
    async (req, reply) => {
      const snap = snapshotFor(deps, req.params.model);
      const pace = await paceFor(deps, snap, Date.now(), reply);
      if (!pace.view) throw new HttpError(404, 'no_plan', `model '${snap.model}' has no pacing plan`);
      const { planId, plan, state, spend } = pace.view;
      const count = req.query.log === undefined ? 100 : Number(req.query.log);
      if (count > 1000) throw new HttpError(400, 'bad_request', `querystring/log must be at most 1000, got ${count}`);
      const lambdaLog = await deps.pacing.lambdaLog(snap.model, planId, count);
      return {
        model: snap.model,
        planId,
        plan,
        state,
        spend,
        lambda: pace.lambda,
        exhausted: pace.exhausted,
        lambdaLog,
      };
    },
  );
}
