import type { RunEvent } from '@bidfcl/runtime';
import { describeEvent } from './output.js';

/** Epoch timings averaged for the ETA: recent enough to follow a phase change (Bi-DFCL's warm start is faster). */
const ETA_WINDOW = 3;

/** When each epoch of one stage was reported, oldest first. */
type EpochTimes = { epoch: number; at: number }[];

/**
 * Seconds left until epoch `epochs`, from the mean duration of the last ETA_WINDOW reported epochs; undefined
 * before two epochs were seen (one report gives no duration). An upper bound: early stopping may end sooner.
 */
export function etaSeconds(times: EpochTimes, epochs: number): number | undefined {
  const recent = times.slice(-(ETA_WINDOW + 1));
  const first = recent[0];
  const last = recent[recent.length - 1];
  if (!first || !last || last.epoch <= first.epoch) return undefined;
  const perEpoch = (last.at - first.at) / 1000 / (last.epoch - first.epoch);
  return Math.max(0, epochs - last.epoch) * perEpoch;
}

/** "45 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

export interface EventPrinterOptions {
  /** Leave out progress lines (stage lines only). */
  quiet?: boolean;
  /** Milliseconds clock; injected by tests. */
  now?: () => number;
}

/**
 * The lines `run --wait` and the demo print for a run's events. Progress is published by the worker's own
 * connection while stage records are published by the job's (in sandboxed roles another process), so Redis can
 * deliver a stage's last progress after its ✓: progress of a finished stage is dropped, until the stage runs
 * again (a retry). Training progress gets an ETA from the epochs' timings.
 */
export function runEventPrinter(print: (line: string) => void, opts: EventPrinterOptions = {}): (e: RunEvent) => void {
  const now = opts.now ?? (() => Date.now());
  const finished = new Set<string>();
  const epochTimes = new Map<string, EpochTimes>();
  return (e) => {
    if (e.type === 'stage') {
      if (e.status === 'succeeded' || e.status === 'failed') finished.add(e.stage);
      else if (e.status === 'running' || e.status === 'retrying') {
        finished.delete(e.stage);
        epochTimes.delete(e.stage);
      }
    }
    if ((e.type === 'progress' || e.type === 'waiting') && finished.has(e.stage)) return;
    if (e.type === 'progress' && opts.quiet) return;
    const line = describeEvent(e);
    if (line === undefined) return;
    print(e.type === 'progress' ? line + etaSuffix(e, epochTimes, now()) : line);
  };
}

/** ", ETA 3 min 05 s" for a training progress report after the second epoch seen; '' otherwise. */
function etaSuffix(e: Extract<RunEvent, { type: 'progress' }>, all: Map<string, EpochTimes>, at: number): string {
  const p = e.progress as { epoch?: unknown; epochs?: unknown } | null;
  if (typeof p?.epoch !== 'number' || typeof p.epochs !== 'number') return '';
  const times = all.get(e.stage) ?? [];
  // A report repeated for the same epoch (or an earlier one, after a resume) starts the timing again.
  if (times.length > 0 && p.epoch <= times[times.length - 1]!.epoch) times.length = 0;
  times.push({ epoch: p.epoch, at });
  all.set(e.stage, times);
  const eta = etaSeconds(times, p.epochs);
  return eta === undefined ? '' : `, ETA ${formatDuration(eta)}`;
}
