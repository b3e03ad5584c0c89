export { populationHandlers } from './handlers.js';
