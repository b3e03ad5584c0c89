import type { RunRecord } from '@bidfcl/contracts';
import { stagesInOrder } from '../run-stages.js';
import { esc, htmlTable, link, page, statusCell } from './html.js';

export const runHref = (runId: string) => `/runs/${encodeURIComponent(runId)}`;

/** "features.finalize 1.2 s, train.tsm-rct 3.4 s": each stage with its time, in the order they started. */
export function stageTimings(record: RunRecord): string {
  return stagesInOrder(record)
    .map((s) => `${s.stage} ${s.seconds !== undefined ? `${s.seconds.toFixed(1)} s` : s.status}`)
    .join(', ');
}

/** The front page: every run, newest first (as listRuns returns them). */
export function runsPage(runs: RunRecord[], storeName: string): string {
  if (runs.length === 0) return page('runs', `<p>no runs in ${esc(storeName)}</p>`);
  const rows = runs.map((r) => [
    link(runHref(r.runId), r.runId),
    statusCell(r.status),
    r.createdAt,
    r.updatedAt,
    r.config.methods.join(', '),
    stageTimings(r),
    r.error ? `${r.error.stage}: ${r.error.message.split('\n')[0]}` : '',
  ]);
  return page('runs', htmlTable(['run', 'status', 'created', 'updated', 'methods', 'stages', 'error'], rows, 'runs'));
}
