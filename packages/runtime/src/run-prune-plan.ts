import { isRunFinished, type RunStatus } from '@bidfcl/contracts';

/** What `runs prune` looks at of a run. */
export interface PrunableRun {
  runId: string;
  status: RunStatus;
  createdAt: string;
  updatedAt: string;
}

export interface PruneRule {
  /** Keep the newest `keep` finished runs whatever their age. */
  keep?: number;
  /** Only runs that finished (last updated) longer than this ago may go. */
  olderThanMs?: number;
}

/**
 * The runs a prune deletes: finished runs (succeeded, failed, cancelled) only, never one in progress; the newest
 * `keep` finished runs (by creation) stay; of the others, those updated more than `olderThanMs` before `now` go.
 * Both rules hold together when both are given. At least one is required: a prune with neither would delete every
 * finished run, which is `runs delete`'s job, one run at a time.
 */
export function planPrune(runs: readonly PrunableRun[], rule: PruneRule, now: number): PrunableRun[] {
  if (rule.keep === undefined && rule.olderThanMs === undefined)
    throw new Error('a prune needs --keep <n> or --older-than <duration> (or both)');
  if (rule.keep !== undefined && (!Number.isInteger(rule.keep) || rule.keep < 0))
    throw new Error(`--keep must be a whole number ≥ 0, got ${rule.keep}`);
  const finished = runs
    .filter((r) => isRunFinished(r.status))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.runId.localeCompare(a.runId));
  return finished.slice(rule.keep ?? 0).filter((r) => {
    if (rule.olderThanMs === undefined) return true;
    const updated = Date.parse(r.updatedAt);
    return Number.isFinite(updated) && now - updated > rule.olderThanMs;
  });
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** A duration such as `30d`, `12h`, `90m`, `45s` or `2w`, in milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhdw])$/.exec(text.trim());
  if (!m) throw new Error(`'${text}' is not a duration: use a number and a unit, e.g. 30d, 12h, 90m, 45s, 2w`);
  return Number(m[1]) * UNITS[m[2]!]!;
}
