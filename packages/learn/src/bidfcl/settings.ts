import type { BidfclConfig, DfclConfig, TrainingConfig } from '@bidfcl/contracts';

/** Everything trainBidfcl and hypergradStep read from a run's configuration. */
export interface BidfclSettings {
  training: TrainingConfig;
  dfcl: DfclConfig;
  /**
   * The run config's `bidfcl` section (contracts' bidfclConfigSchema: hvp, hvpRows, selectBy, teacher, teacherData,
   * averaging, …).
   */
  bidfcl: BidfclConfig;
  seed: number;
}

/** The five Bi-DFCL method ids. */
export type BidfclMethod =
  'bidfcl-ppl' | 'bidfcl-pifd' | 'bidfcl-ppl-explicit' | 'bidfcl-pifd-explicit' | 'bidfcl-fixgate';

export const BIDFCL_METHODS: readonly BidfclMethod[] = [
  'bidfcl-ppl',
  'bidfcl-pifd',
  'bidfcl-ppl-explicit',
  'bidfcl-pifd-explicit',
  'bidfcl-fixgate',
];

/** Upper-level loss and hypergradient variant of a method (undefined for fixgate: no upper level). */
export function methodParts(
  method: BidfclMethod,
): { kind: 'ppl' | 'pifd'; variant: 'implicit' | 'explicit' } | undefined {
  switch (method) {
    case 'bidfcl-ppl':
      return { kind: 'ppl', variant: 'implicit' };
    case 'bidfcl-pifd':
      return { kind: 'pifd', variant: 'implicit' };
    case 'bidfcl-ppl-explicit':
      return { kind: 'ppl', variant: 'explicit' };
    case 'bidfcl-pifd-explicit':
      return { kind: 'pifd', variant: 'explicit' };
    case 'bidfcl-fixgate':
      return undefined;
  }
}

/**
 * The criterion checkpoints are selected by: `bidfcl.selectBy`, else validation EOM with lowerData 'obs'
 * (docs/method.md §3.5) and the lower level's validation loss with 'obs+rct' (docs/method.md §3.5: stop that lower
 * level early on it).
 */
export function selectionCriterion(b: BidfclSettings['bidfcl']): 'valEom' | 'valLoss' {
  return b.selectBy ?? (b.lowerData === 'obs+rct' ? 'valLoss' : 'valEom');
}

/**
 * Whether an epoch's validation score competes for the selected checkpoint. Only bi-level epochs do, when any are
 * planned: a warm-start epoch is an OBS-only model, which a noisy validation EOM could otherwise return as
 * "Bi-DFCL", and a patience count run down during warm start would stop training as soon as the bi-level phase
 * begins. With no bi-level epoch planned (warm start covers every epoch) all epochs compete.
 */
export function competesForSelection(epoch: number, warmEpochs: number, totalEpochs: number): boolean {
  return epoch > warmEpochs || warmEpochs >= totalEpochs;
}
