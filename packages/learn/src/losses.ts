/**
 * Every training loss of docs/method.md §3 in one place (each returns a scalar tensor; formulas in each JSDoc):
 * factual MSE (TSM), the §3.1 full-surface RCT MSE, IPS-weighted MSE (tsm-ips), DPL, PPL, DIFD, PIFD.
 */
export { factualSquaredErrors, factualMseLoss, rctArmWeights, rctMseLoss, ipsMseLoss } from './mse-losses.js';
export { inversePropensities, policyScores, pplLoss, dplLoss } from './policy-losses.js';
export type { PolicyLossOptions } from './policy-losses.js';
export { ifdValueGradient, pifdLoss, difdLoss } from './ifd-losses.js';
export type { IfdOptions } from './ifd-losses.js';
