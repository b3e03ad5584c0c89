export { PACING_DEFAULTS, assertPacingPlan, dayFraction, plannedFraction, tickOf } from './plan.js';
export type { PacingPlan } from './plan.js';
export { initialPacingState, isExhausted, pacingTarget, stepPacing } from './controller.js';
export type { PacingState } from './controller.js';
export { simulateDay } from './simulated-day.js';
export type { DayArrival, DayTruth, DayOutcome } from './simulated-day.js';
export { batchArmAt } from './batch-arm.js';
