/** What a trainer's epoch report (sent through job progress, see the trainer's fit.ts) says, for the gauges. */
export interface TrainingProgress {
  method: string;
  epoch: number;
  /** Losses the epoch reported, by kind (lower, upper, val): Bi-DFCL has all three, other methods fewer. */
  losses: Partial<Record<'lower' | 'upper' | 'val', number>>;
}

const LOSS_FIELDS = { lower: 'lowerLoss', upper: 'upperLoss', val: 'valLoss' } as const;

/** The epoch report in a job's progress value; undefined for any other progress (feature builders' row counts). */
export function trainingProgressOf(progress: unknown): TrainingProgress | undefined {
  if (!progress || typeof progress !== 'object') return undefined;
  const p = progress as Record<string, unknown>;
  if (typeof p.method !== 'string' || typeof p.epoch !== 'number' || !Number.isFinite(p.epoch)) return undefined;
  const losses: TrainingProgress['losses'] = {};
  for (const [kind, field] of Object.entries(LOSS_FIELDS) as [keyof typeof LOSS_FIELDS, string][]) {
    const v = p[field];
    // A diverged epoch reports NaN or ∞: a gauge would keep it, but it says nothing a chart can show.
    if (typeof v === 'number' && Number.isFinite(v)) losses[kind] = v;
  }
  return { method: p.method, epoch: p.epoch, losses };
}
