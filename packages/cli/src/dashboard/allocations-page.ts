import type { PopulationSummary } from '@bidfcl/contracts';
import { htmlTable, page, type Cell } from './html.js';

const armMix = (s: PopulationSummary) => s.armMix.map((a) => `${a.arm} ${(a.share * 100).toFixed(1)}%`).join(', ');

/** Population allocations (bidfcl allocate) with their summaries; an unfinished one (no summary.json) says so. */
export function allocationsPage(rows: { id: string; summary: PopulationSummary | undefined }[]): string {
  if (rows.length === 0) return page('allocations', '<p>no allocations</p>');
  const cells: Cell[][] = rows.map(({ id, summary: s }) =>
    s
      ? [
          id,
          `${s.model}@${s.version}`,
          s.users,
          s.shards,
          s.budget,
          s.predictedSpend,
          s.lambda,
          s.predictedIncrementalRevenue,
          armMix(s),
          s.timings.finishedAt,
          s.timings.seconds,
        ]
      : [id, 'unfinished (no summary.json: running or failed)', '', '', '', '', '', '', '', '', ''],
  );
  const header = ['allocation', 'model', 'users', 'shards', 'budget', 'predicted spend', 'λ*'];
  header.push('predicted incremental revenue', 'arm mix', 'finished', 'seconds');
  return page('allocations', htmlTable(header, cells, 'allocations'));
}
