import type { FeatureTable } from '@bidfcl/contracts';
import { batchArmAt, decide, encodeRawFeatures, FeatureEncodingError, type RawFeatureColumn } from '@bidfcl/core';
import type { FastifyInstance } from 'fastify';
import { eventTime, HttpError, paceFor, snapshotFor, type ServeDeps } from '../deps.js';

const at = { anyOf: [{ type: 'string', maxLength: 64 }, { type: 'number' }] };
const userId = { type: 'string', minLength: 1, maxLength: 256 };
const model = { type: 'string', minLength: 1, maxLength: 128 };

interface DecideBody {
  userId: string;
  model?: string;
  features: Record<string, number | string>;
  at?: string | number;
}

/** GET /v1/decisions/:userId (the night's allocation) and POST /v1/decide (a user scored now). Thin: see core. */
export function decisionRoutes(app: FastifyInstance, deps: ServeDeps): void {
  app.get<{ Params: { userId: string }; Querystring: { model?: string } }>(
    '/v1/decisions/:userId',
    {
      schema: {
        params: { type: 'object', properties: { userId }, required: ['userId'] },
        querystring: { type: 'object', properties: { model }, additionalProperties: false },
      },
    },
    async (req, reply) => {
      const snap = snapshotFor(deps, req.query.model);
      const found = snap.index.find(req.params.userId);
      if (!found)
        throw new HttpError(
          404,
          'unknown_user',
          `user '${req.params.userId}' is not in allocation ${snap.allocationId}`,
        );
      const pace = await paceFor(deps, snap, Date.now(), reply);
      const arm = batchArmAt(found.arm, found.exitLambda, snap.lambdaStar, pace.lambda, pace.exhausted);
      return answer(snap, req.params.userId, arm, pace.lambda, pace.exhausted);
    },
  );

  app.post<{ Body: DecideBody }>(
    '/v1/decide',
    {
      schema: {
        body: {
          type: 'object',
          required: ['userId', 'features'],
          additionalProperties: false,
          properties: {
            userId,
            model,
            at,
            features: {
              type: 'object',
              maxProperties: 1024,
              additionalProperties: { anyOf: [{ type: 'number' }, { type: 'string', maxLength: 256 }] },
            },
          },
        },
      },
    },
    async (req, reply) => {
      const snap = snapshotFor(deps, req.body.model);
      const now = eventTime(req.body.at);
      const enc = snap.version.encoding;
      const columns = new Map<string, RawFeatureColumn>();
      for (const [name, v] of Object.entries(req.body.features))
        columns.set(
          name,
          typeof v === 'number' ? { kind: 'number', values: Float64Array.of(v) } : { kind: 'string', values: [v] },
        );
      let x: Float32Array;
      try {
        x = encodeRawFeatures(columns, enc, 0, 1, 'body.features');
      } catch (err) {
        if (err instanceof FeatureEncodingError) throw new HttpError(400, 'bad_request', err.message);
        throw err;
      }
      const table: FeatureTable = {
        n: 1,
        d: enc.featureNames.length,
        m: enc.arms.length,
        x,
        arm: new Int32Array(1),
        revenue: new Float64Array(1),
        cost: new Float64Array(1),
      };
      // Scored before the first await: the snapshot's tensors are freed when it is swapped out, which can only
      // happen while this request waits (catalog.ts); only the forward pass runs here, the weights are built.
      const scores = snap.scorer.predict(table);
      const pace = await paceFor(deps, snap, now, reply);
      const arm = pace.exhausted ? 0 : decide(scores, pace.lambda)[0]!;
      return {
        ...answer(snap, req.body.userId, arm, pace.lambda, pace.exhausted),
        predicted: { revenue: scores.r[arm], cost: scores.c[arm] },
      };
    },
  );
}

function answer(snap: ReturnType<typeof snapshotFor>, userId: string, arm: number, lambda: number, exhausted: boolean) {
  return {
    userId,
    arm: snap.arms[arm],
    armIndex: arm,
    model: snap.model,
    version: snap.version.version,
    allocationId: snap.allocationId,
    lambda,
    ...(exhausted ? { budgetExhausted: true } : {}),
  };
}
