import type { FastifyInstance } from 'fastify';
import type { ServeDeps } from '../deps.js';

/** /healthz (the process answers), /readyz (Redis and at least one allocation loaded), /metrics (Prometheus). */
export function opsRoutes(app: FastifyInstance, deps: ServeDeps): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    const loaded = deps.catalog
      .all()
      .map((s) => ({ model: s.model, allocationId: s.allocationId, version: s.version.version, users: s.index.size }));
    const redis = deps.redis.status === 'ready';
    const reasons = [
      ...(redis ? [] : ['the budget state (Redis) is unreachable']),
      ...(loaded.length ? [] : ['no current allocation is loaded yet']),
    ];
    reply.code(reasons.length ? 503 : 200);
    return { ready: reasons.length === 0, reasons, loaded };
  });

  app.get('/metrics', async (_req, reply) => {
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
