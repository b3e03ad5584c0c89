import type { SelectionCriterion, TrainingEpoch } from '@bidfcl/contracts';

/**
 * The selection score of the newest epoch when checkpoints are chosen by validation EOM: the mean of the last
 * `window` epochs' validation EOM, from the history, so that a resumed training computes it
 * exactly as an uninterrupted one (docs/method.md §4, "Selection window"). Validation EOM is noisy from one epoch to
 * the next; a single lucky epoch then wins and, with early stopping, ends training soon after it. A window of 1 is
 * the raw score. Until the last `window` epochs all have a finite valEom the score is -Infinity (a diverged
 * epoch has none).
 */
export function windowedValEom(history: readonly TrainingEpoch[], window: number): number {
  const recent = history
    .slice(-Math.max(1, window))
    .map((h) => h.valEom)
    .filter((v): v is number => v !== undefined && Number.isFinite(v));
  // A mean of fewer epochs is noisier than the others: the first epochs do not compete until the window is full
  // (measured: with "fewer at the start", one lucky first epoch won and early stopping ended training there).
  return recent.length === Math.max(1, window) ? recent.reduce((a, b) => a + b, 0) / recent.length : -Infinity;
}

/**
 * The newest epoch's selection score: `own` (what validation returned), or with validation-EOM selection and a
 * window above 1 the windowed mean. The plain trainers' loop and Bi-DFCL's epoch end both score through this.
 */
export function selectionScore(
  history: readonly TrainingEpoch[],
  selectedBy: SelectionCriterion | undefined,
  window: number,
  own: number,
): number {
  return selectedBy === 'valEom' && window > 1 ? windowedValEom(history, window) : own;
}
