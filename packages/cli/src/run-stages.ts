import type { RunRecord, StageRecord } from '@bidfcl/contracts';

/** A run's stages in the order they started (stages not started yet last): `bidfcl status` and the dashboard. */
export function stagesInOrder(record: RunRecord): StageRecord[] {
  return Object.values(record.stages).sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''));
}
