export { allocatorHandlers } from './handlers.js';
export { scoreTable, predictWithModel } from './scores.js';
