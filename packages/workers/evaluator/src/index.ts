export { evaluatorHandlers } from './handlers.js';
