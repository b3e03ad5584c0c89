export { startServe, SERVE_DEFAULTS } from './server.js';
export type { ServeOptions, RunningService } from './server.js';
export { buildApp } from './app.js';
export { UserIndex } from './lookup/user-index.js';
