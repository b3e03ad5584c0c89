import type { BidfclConfig, DfclConfig, TrainingConfig } from '@bidfcl/contracts';

/** Options beyond the contract's BidfclConfig (all optional; defaults in JSDoc). */
export interface BidfclExtras {
  /**
   * Overrides of the training config for the Teacher's pretraining on RCT (default: the run's own). The RCT split
   * is small: with the Target's batch size the Teacher may get only a handful of steps per epoch.
   */
  teacherTraining?: Partial<TrainingConfig>;
  /**
   * Rows of the last look-ahead OBS batch used for the Hessian-vector products and the mixed term
   * (default: the whole batch). Fewer rows make each CG iteration proportionally cheaper.
   */
  hvpRows?: number;
  /**
   * Checkpoint-selection (and early-stopping) criterion. Default 'valEom' (METHOD.md §3.5) with lowerData
   * 'obs', 'valLoss' with 'obs+rct' (METHOD.md: stop that lower level early on its validation loss).
   */
  selectBy?: 'valEom' | 'valLoss';
  /**
   * How Hessian-vector and mixed products are computed. 'fd' (default, METHOD.md §3.5's Decision): central
   * differences of first-order gradients with probe length eps0. 'exact': Pearlmutter's R-operator through the
   * MLP (`mlpHvp`), the almost-everywhere Hessian that double back-propagation gives — with ReLU hidden layers
   * the central difference picks up units switching inside the probe and differs from it by O(1) (see report).
   */
  hvp?: 'fd' | 'exact';
}

/** Everything trainBidfcl and hypergradStep read from a run's configuration. */
export interface BidfclSettings {
  training: TrainingConfig;
  dfcl: DfclConfig;
  bidfcl: BidfclConfig & BidfclExtras;
  seed: number;
}

/** The five Bi-DFCL method ids. */
export type BidfclMethod = 'bidfcl-ppl' | 'bidfcl-pifd' | 'bidfcl-ppl-explicit' | 'bidfcl-pifd-explicit' | 'bidfcl-fixgate';

export const BIDFCL_METHODS: readonly BidfclMethod[] = ['bidfcl-ppl', 'bidfcl-pifd', 'bidfcl-ppl-explicit', 'bidfcl-pifd-explicit', 'bidfcl-fixgate'];

/** Upper-level loss and hypergradient variant of a method (undefined for fixgate: no upper level). */
export function methodParts(method: BidfclMethod): { kind: 'ppl' | 'pifd'; variant: 'implicit' | 'explicit' } | undefined {
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

/** The criterion checkpoints are selected by (see BidfclExtras.selectBy). */
export function selectionCriterion(b: BidfclSettings['bidfcl']): 'valEom' | 'valLoss' {
  return b.selectBy ?? (b.lowerData === 'obs+rct' ? 'valLoss' : 'valEom');
}
