import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The service's Prometheus metrics, on a registry of its own (two apps in one process do not share counters). */
export function createMetrics() {
  const registry = new Registry();
  const labelNames = ['route', 'method', 'status'] as const;
  return {
    registry,
    requests: new Counter({
      name: 'bidfcl_http_requests_total',
      help: 'HTTP requests',
      labelNames,
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'bidfcl_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames,
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    version: new Gauge({
      name: 'bidfcl_serve_model_version',
      help: 'The model version of the allocation served',
      labelNames: ['model', 'allocation'],
      registers: [registry],
    }),
    users: new Gauge({
      name: 'bidfcl_serve_allocation_users',
      help: 'Users in the allocation served',
      labelNames: ['model'],
      registers: [registry],
    }),
    lambda: new Gauge({
      name: 'bidfcl_serve_lambda',
      help: "λ: the allocation's λ* (kind=allocation) and the paced λ last applied (kind=paced)",
      labelNames: ['model', 'kind'],
      registers: [registry],
    }),
    lambdaChanges: new Counter({
      name: 'bidfcl_pacing_lambda_changes_total',
      help: 'Controller steps made by this replica',
      labelNames: ['model'],
      registers: [registry],
    }),
    spend: new Gauge({
      name: 'bidfcl_pacing_spend',
      help: 'Realised spend of the day (last seen by this replica) and its budget',
      labelNames: ['model', 'kind'],
      registers: [registry],
    }),
    pacingReads: new Counter({
      name: 'bidfcl_pacing_state_reads_total',
      help: "Reads of a model's pacing state: from this replica's copy (source=cache) or from Redis (source=redis)",
      labelNames: ['source'],
      registers: [registry],
    }),
    spendEvents: new Counter({
      name: 'bidfcl_spend_events_total',
      help: 'Spend events by outcome (recorded, duplicate, conflict, no-plan) and whether the user was known',
      labelNames: ['model', 'outcome', 'known_user'],
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
