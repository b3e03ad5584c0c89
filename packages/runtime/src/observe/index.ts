export * from './logger.js';
export * from './job-fields.js';
export * from './training-progress.js';
export * from './worker-metrics.js';
export * from './metrics-server.js';
export type { WorkerObservers } from './observe-worker.js';
export * from './worker-presence.js';
export * from './run-waits.js';
export * from './prom-text.js';
