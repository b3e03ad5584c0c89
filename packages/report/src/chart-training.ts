import type { MethodMetrics, TrainingEpoch } from '@bidfcl/contracts';
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, isFiniteNumber } from './chart-common.js';

/** The per-epoch series of a training history, in panel order, with their panel titles. */
export const TRAINING_SERIES: readonly { key: keyof Omit<TrainingEpoch, 'epoch'>; label: string }[] = [
  { key: 'lowerLoss', label: 'training loss (lower level)' },
  { key: 'upperLoss', label: 'upper-level loss' },
  { key: 'valLoss', label: 'validation loss' },
  { key: 'valEom', label: 'validation EOM' },
];

/** Epoch histories longer than this are drawn as lines without point markers (markers would merge). */
const MAX_MARKED_EPOCHS = 40;

/** One value of one series at one epoch; `selected` marks the checkpoint chosen by validation. */
export interface TrainingRow {
  epoch: number;
  series: string;
  value: number;
  selected: boolean;
}

/** Long-format rows of a method's finite training values. */
export function trainingRows(method: MethodMetrics): TrainingRow[] {
  const rows: TrainingRow[] = [];
  for (const e of method.training) {
    for (const { key, label } of TRAINING_SERIES) {
      const value = e[key];
      if (isFiniteNumber(value) && Number.isFinite(e.epoch)) {
        rows.push({ epoch: e.epoch, series: label, value, selected: e.epoch === method.selectedEpoch });
      }
    }
  }
  return rows;
}

/**
 * A row of small panels for one trained method, one per recorded series (losses and validation EOM have
 * different scales, so each panel has its own y axis), in the method's colour, with the selected epoch marked
 * by a dashed vertical rule. Null when the method recorded no training values.
 */
export function trainingChartSpec(method: MethodMetrics, colour: string): TopLevelSpec | null {
  const rows = trainingRows(method);
  if (rows.length === 0) return null;
  const present = TRAINING_SERIES.map((s) => s.label).filter((label) => rows.some((r) => r.series === label));
  const epochs = new Set(rows.map((r) => r.epoch)).size;
  const x = {
    field: 'epoch',
    type: 'quantitative' as const,
    title: 'epoch',
    scale: { zero: false, nice: false },
    axis: { format: 'd', tickMinStep: 1 },
  };
  const y = { field: 'value', type: 'quantitative' as const, title: null, scale: { zero: false } };
  return {
    config: CHART_CONFIG,
    data: { values: rows },
    facet: {
      column: { field: 'series', type: 'nominal', title: null, sort: present, header: { labelFontWeight: 'normal' } },
    },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 200,
      height: 130,
      layer: [
        {
          mark: {
            type: 'line',
            color: colour,
            point: epochs <= MAX_MARKED_EPOCHS ? { filled: true, size: 18, color: colour } : false,
          },
          encoding: { x, y },
        },
        {
          transform: [{ filter: 'datum.selected' }],
          mark: { type: 'rule', color: '#555', strokeDash: [4, 3], strokeWidth: 1.25 },
          encoding: { x },
        },
      ],
    },
  };
}
