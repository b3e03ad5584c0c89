import { z } from 'zod';

/** Every method of docs/method.md §3. `oracle` and `random` are references, not trained models. */
export const METHOD_IDS = [
  'tsm-rct',
  'tsm-obs',
  'tsm-both',
  'tsm-ips',
  'dfcl-dpl',
  'dfcl-difd',
  'dfcl-ppl',
  'dfcl-pifd',
  'bidfcl-ppl',
  'bidfcl-pifd',
  'bidfcl-ppl-explicit',
  'bidfcl-pifd-explicit',
  'bidfcl-fixgate',
  'dr-jt',
  'dragonnet',
  'ltd-dr',
  'autodebias',
  'oracle',
  'random',
] as const;

export const methodIdSchema = z.enum(METHOD_IDS);
export type MethodId = z.infer<typeof methodIdSchema>;

export interface MethodInfo {
  /** Needs the observational split. */
  needsObs: boolean;
  /** Needs the true r_ij, c_ij of the simulator (only the oracle). */
  needsTruth: boolean;
  /** A model is trained (false for oracle and random). */
  trained: boolean;
}

export const METHOD_INFO: Record<MethodId, MethodInfo> = {
  'tsm-rct': { needsObs: false, needsTruth: false, trained: true },
  'tsm-obs': { needsObs: true, needsTruth: false, trained: true },
  'tsm-both': { needsObs: true, needsTruth: false, trained: true },
  'tsm-ips': { needsObs: true, needsTruth: false, trained: true },
  'dfcl-dpl': { needsObs: false, needsTruth: false, trained: true },
  'dfcl-difd': { needsObs: false, needsTruth: false, trained: true },
  'dfcl-ppl': { needsObs: false, needsTruth: false, trained: true },
  'dfcl-pifd': { needsObs: false, needsTruth: false, trained: true },
  'bidfcl-ppl': { needsObs: true, needsTruth: false, trained: true },
  'bidfcl-pifd': { needsObs: true, needsTruth: false, trained: true },
  'bidfcl-ppl-explicit': { needsObs: true, needsTruth: false, trained: true },
  'bidfcl-pifd-explicit': { needsObs: true, needsTruth: false, trained: true },
  'bidfcl-fixgate': { needsObs: true, needsTruth: false, trained: true },
  'dr-jt': { needsObs: true, needsTruth: false, trained: true },
  dragonnet: { needsObs: true, needsTruth: false, trained: true },
  'ltd-dr': { needsObs: true, needsTruth: false, trained: true },
  autodebias: { needsObs: true, needsTruth: false, trained: true },
  oracle: { needsObs: false, needsTruth: true, trained: false },
  random: { needsObs: false, needsTruth: false, trained: false },
};

/** The debiasing baselines of docs/method.md §3.7–§3.10 (the `debias` config section configures them). */
export const DEBIAS_METHODS = ['dr-jt', 'dragonnet', 'ltd-dr', 'autodebias'] as const satisfies readonly MethodId[];
export type DebiasMethod = (typeof DEBIAS_METHODS)[number];
