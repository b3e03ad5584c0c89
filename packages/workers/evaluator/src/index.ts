export { evaluatorHandlers } from './handlers.js';
export { computeMethodMetrics, type EvaluationInput, type MethodInput } from './compute-metrics.js';
