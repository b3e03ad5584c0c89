import type { FeatureManifest, FeatureTable, StagedPart } from '@bidfcl/contracts';
import { stdOf, type PartStats } from './stats.js';

/** What standardising and one-hot encoding need; the manifest records it for every later reader. */
export type Encoding = Pick<FeatureManifest, 'featureNames' | 'mean' | 'std' | 'vocab'>;

/** Numeric features first (in config order), then one `<col>=<value>` indicator per vocabulary entry. */
export function featureNamesFor(numeric: string[], vocab: Record<string, string[]>, categorical: string[]): string[] {
  return [...numeric, ...categorical.flatMap((c) => (vocab[c] ?? []).map((v) => `${c}=${v}`))];
}

/**
 * The encoding learnt from the training splits' statistics: each categorical's sorted vocabulary, and the
 * mean and population standard deviation of each numeric feature. Indicators keep mean 0 and std 1 (left as
 * they are), so a 0/1 column means "this value" in every split.
 */
export function fitEncoding(training: PartStats, numericNames: string[], categoricalNames: string[]): Encoding {
  const vocab = Object.fromEntries(categoricalNames.map((c) => [c, Object.keys(training.categorical[c] ?? {}).sort()]));
  const featureNames = featureNamesFor(numericNames, vocab, categoricalNames);
  const numericMoments = (k: number) => training.numeric[numericNames[k]!]!;
  const isNumeric = (k: number) => k < numericNames.length;
  const mean = featureNames.map((_, k) => (isNumeric(k) ? numericMoments(k).sum / Math.max(1, training.rows) : 0));
  const std = featureNames.map((_, k) => (isNumeric(k) ? stdOf(numericMoments(k), training.rows) : 1));
  return { featureNames, mean, std, vocab };
}

/**
 * Standardises numeric features with the training statistics and one-hot encodes categoricals with the
 * training vocabulary (a value never seen in training encodes as all zeros).
 */
export function encodePart(
  p: StagedPart,
  enc: Encoding,
  numericNames: string[],
  categoricalNames: string[],
): FeatureTable {
  const d = enc.featureNames.length;
  const x = new Float32Array(p.n * d);
  numericNames.forEach((name, k) => {
    const col = p.numeric[name];
    if (!col) throw new Error(`staged part lacks numeric feature '${name}'`);
    const mu = enc.mean[k]!;
    const sd = enc.std[k]!;
    for (let i = 0; i < p.n; i++) x[i * d + k] = (col[i]! - mu) / sd;
  });
  let offset = numericNames.length;
  for (const name of categoricalNames) {
    const vocab = enc.vocab[name] ?? [];
    const index = new Map(vocab.map((v, j) => [v, j]));
    const col = p.categorical[name];
    if (!col) throw new Error(`staged part lacks categorical feature '${name}'`);
    for (let i = 0; i < p.n; i++) {
      const j = index.get(col[i]!);
      if (j !== undefined) x[i * d + offset + j] = 1;
    }
    offset += vocab.length;
  }
  const t: FeatureTable = { n: p.n, d, m: p.m, x, arm: p.arm, revenue: p.revenue, cost: p.cost };
  if (p.userId) t.userId = p.userId;
  if (p.trueRevenue) t.trueRevenue = p.trueRevenue;
  if (p.trueCost) t.trueCost = p.trueCost;
  return t;
}
