import type { MethodMetrics, SelectionCriterion } from '@bidfcl/contracts';

/**
 * What selected a method's checkpoint. Metrics written before `selectedBy` was recorded still say it for the
 * families whose criterion is fixed (two-stage: validation loss; DFCL: validation EOM); Bi-DFCL's depends on its
 * config (bidfcl.selectBy, lowerData), so for it an old file gives undefined rather than a guess.
 */
export function selectionCriterionOf(m: MethodMetrics): SelectionCriterion | undefined {
  if (m.selectedBy !== undefined) return m.selectedBy;
  if (m.method.startsWith('tsm-')) return 'valLoss';
  if (m.method.startsWith('dfcl-')) return 'valEom';
  return undefined;
}

/** How the report names a criterion; Bi-DFCL's validation loss is its lower level's (docs/method.md §3.5). */
export function selectionLabel(m: MethodMetrics): string {
  const criterion = selectionCriterionOf(m);
  if (criterion === 'valEom') return 'the highest validation EOM';
  if (criterion === 'valLoss')
    return m.method.startsWith('bidfcl')
      ? "the lowest validation loss (the lower level's)"
      : 'the lowest validation loss';
  return 'a criterion this run did not record';
}
