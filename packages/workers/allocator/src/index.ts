export { allocatorHandlers } from './handlers.js';
export { scoreTable } from './scores.js';
export * from './population/index.js';
export { predictWithModel } from './scores.js';
