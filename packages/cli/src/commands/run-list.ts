import type { RunRecord } from '@bidfcl/contracts';
import { table } from '../output.js';

/** The runs table of `bidfcl status` and `bidfcl runs list` (or its JSON): one line per run, newest first. */
export function formatRunList(runs: RunRecord[], json: boolean, where: string): string {
  if (json)
    return JSON.stringify(
      runs.map(({ runId, status, createdAt, updatedAt, error }) => ({ runId, status, createdAt, updatedAt, error })),
      null,
      2,
    );
  if (runs.length === 0) return `no runs in ${where}`;
  return table(
    ['run', 'status', 'created', 'methods', 'error'],
    runs.map((r) => [
      r.runId,
      r.status,
      r.createdAt,
      r.config.methods.join(','),
      r.error ? `${r.error.stage}: ${r.error.message.split('\n')[0]}` : '',
    ]),
  );
}
