import type { FastifyInstance } from 'fastify';
import { eventTime, HttpError, paceFor, redisDown, snapshotFor, type ServeDeps } from '../deps.js';

interface SpendBody {
  eventId: string;
  userId: string;
  arm: string | number;
  amount: number;
  model?: string;
  at?: string | number;
}

/**
 * POST /v1/spend: a realised spend event, counted once per event id (a retry answers `duplicate`; the same id
 * with other content is a 409). Spend for a user the allocation does not know is still counted: it is money
 * spent (a user decided by POST /v1/decide, or a client's mistake), so the answer says `knownUser: false` and a
 * counter records it rather than letting the budget be overrun unseen.
 */
export function spendRoutes(app: FastifyInstance, deps: ServeDeps): void {
  app.post<{ Body: SpendBody }>(
    '/v1/spend',
    {
      schema: {
        body: {
          type: 'object',
          required: ['eventId', 'userId', 'arm', 'amount'],
          additionalProperties: false,
          properties: {
            eventId: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' },
            userId: { type: 'string', minLength: 1, maxLength: 256 },
            arm: {
              anyOf: [
                { type: 'string', minLength: 1, maxLength: 128 },
                { type: 'integer', minimum: 0 },
              ],
            },
            amount: { type: 'number', minimum: 0, maximum: 1e12 },
            model: { type: 'string', minLength: 1, maxLength: 128 },
            at: { anyOf: [{ type: 'string', maxLength: 64 }, { type: 'number' }] },
          },
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const snap = snapshotFor(deps, b.model);
      const armIndex = typeof b.arm === 'number' ? b.arm : snap.arms.indexOf(b.arm);
      if (armIndex < 0 || armIndex >= snap.arms.length)
        throw new HttpError(
          400,
          'bad_request',
          `body.arm: no arm ${JSON.stringify(b.arm)} (arms: ${snap.arms.join(', ')})`,
        );
      const now = eventTime(b.at);
      if (deps.redis.status !== 'ready') throw redisDown();
      const view = await deps.pacing.readCached(snap.model);
      if (!view)
        throw new HttpError(409, 'no_plan', `model '${snap.model}' has no pacing plan: PUT /v1/pacing/${snap.model}`);
      const knownUser = snap.index.find(b.userId) !== undefined;
      const event = JSON.stringify({ userId: b.userId, arm: armIndex, amount: b.amount });
      const outcome = await deps.pacing.recordSpend(snap.model, view.planId, b.eventId, b.amount, event);
      deps.metrics.spendEvents.inc({ model: snap.model, outcome, known_user: String(knownUser) });
      if (outcome === 'conflict')
        throw new HttpError(409, 'conflict', `event '${b.eventId}' was recorded before with other content`);
      if (outcome === 'no-plan') throw new HttpError(409, 'no_plan', 'the pacing plan was replaced meanwhile; resend');
      if (!knownUser)
        reply.log.warn({ model: snap.model, eventId: b.eventId }, 'spend for a user not in the allocation');
      const pace = await paceFor(deps, snap, now, reply);
      return {
        recorded: outcome === 'recorded',
        duplicate: outcome === 'duplicate',
        knownUser,
        spend: pace.view?.spend,
        lambda: pace.lambda,
        budgetExhausted: pace.exhausted,
      };
    },
  );
}
