export {};
export { createRng, deriveSeed } from './rng.js';
export type { Rng } from './rng.js';
export { decide, assertScoreMatrix } from './allocation/decide.js';
export { buildLagrangianPath, allocateOnPath } from './allocation/lagrangian-path.js';
export type { LagrangianPath, PathAllocation } from './allocation/lagrangian-path.js';
export { allocateBudget, trueValueAtBudget, oracleAtBudget } from './allocation/allocate-budget.js';
export type { BudgetAllocation, TrueValueResult } from './allocation/allocate-budget.js';
export { ipwValueAtLambda, ipwOfDecisions, ipwLambda, eomAtBudget } from './allocation/ipw.js';
export type { RctOutcomes, IpwValue, IpwLambdaOptions, IpwLambdaResult } from './allocation/ipw.js';
export {
  uniformRandomCost,
  randomReference,
  ipwUniformRandomCost,
  ipwRandomReference,
  oracleCapture,
} from './allocation/random-reference.js';
export type { RandomReference } from './allocation/random-reference.js';
export { truthOf, rctOutcomesOf, randomCostPerUser, budgetLevels } from './budgets.js';
export * from './uplift/index.js';
