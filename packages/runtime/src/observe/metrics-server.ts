import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/**
 * The port deployment files give `bidfcl worker --metrics-port` (compose, k8s; infra/scripts/check-infra.mjs
 * holds them to it): the Prometheus registry's port for exporters of this kind.
 */
export const WORKER_METRICS_PORT = 9464;
/** A worker's HTTP routes; the probes and scrape configs of the deployment files name them. */
export const WORKER_HTTP_PATHS = { metrics: '/metrics', health: '/healthz', ready: '/readyz' } as const;

export interface MetricsServerOptions {
  registry: Registry;
  port: number;
  host?: string;
  /** Why the worker cannot take jobs now (Redis unreachable…); empty when ready. */
  notReadyReasons(): string[];
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * A worker's HTTP side, kept to node:http (a worker needs three routes, not a framework): /metrics for Prometheus,
 * /healthz (the process answers: liveness) and /readyz (it can take jobs: readiness), like the decisions service.
 */
export async function startMetricsServer(o: MetricsServerOptions): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'method_not_allowed' });
    if (path === WORKER_HTTP_PATHS.health) return json(200, { status: 'ok' });
    if (path === WORKER_HTTP_PATHS.ready) {
      const reasons = o.notReadyReasons();
      return json(reasons.length ? 503 : 200, { ready: reasons.length === 0, reasons });
    }
    if (path === WORKER_HTTP_PATHS.metrics)
      return void o.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': o.registry.contentType });
          res.end(text);
        },
        (err: Error) => json(500, { error: 'metrics_failed', message: err.message }),
      );
    json(404, { error: 'not_found', message: `no route ${path}; try /metrics, /healthz, /readyz` });
  });
  server.listen(o.port, o.host ?? '0.0.0.0');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const host = o.host ?? '0.0.0.0';
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Prometheus keeps its connection alive between scrapes: without this, close would wait for it.
        server.closeAllConnections();
      }),
  };
}
