import type { DatasetSpecInput, Split } from '@bidfcl/contracts';
import { createRng, deriveSeed } from '@bidfcl/core';
import type { RawTable } from '@bidfcl/io';
import { usageError } from '../cli-error.js';
import { numberColumn, readCsvFile, requireDataFile, textColumn } from './data-dir.js';
import { obsBias, poolStats, splitStats, type BuiltDatasetStats } from './split-stats.js';
import { pick, takeRawRows, type SplitTable } from './split-table.js';

/** The file hillstrom-hybrid reads from the data directory. */
export const HILLSTROM_FILE = 'hillstrom.csv';

/** Arm j = the j-th value of the `segment` column; arm 0 is the control (no e-mail). */
export const HILLSTROM_ARMS = ['No E-Mail', 'Womens E-Mail', 'Mens E-Mail'] as const;
export const HILLSTROM_NUMERIC = ['recency', 'history', 'mens', 'womens', 'newbie'] as const;
export const HILLSTROM_CATEGORICAL = ['history_segment', 'zip_code', 'channel'] as const;
/**
 * Shares of the 64,000 randomised rows kept as RCT splits (docs/method.md §6); the other 50 % is the pool OBS is
 * drawn from.
 */
export const HILLSTROM_SPLIT_FRACTIONS = { rct: 0.1, val: 0.1, test: 0.3 } as const;

/**
 * The targeting policy that "logged" the OBS split.
 * - `value`: deterministic, {@link hillstromRuleArm}.
 * - `noisy`: the same rule, but with probability `noise` a uniformly random arm instead (seeded), so every arm
 *   has some support everywhere — a softer selection bias.
 */
export type TargetingRule = { kind: 'value' } | { kind: 'noisy'; noise: number };

export const DEFAULT_RULE: TargetingRule = { kind: 'value' };
const DEFAULT_NOISE = 0.3;

/** Parses `value`, `noisy` (noise 0.3) or `noisy:<p>` with 0 ≤ p ≤ 1 (a usage error otherwise). */
export function parseTargetingRule(text: string): TargetingRule {
  const t = text.trim().toLowerCase();
  if (t === 'value') return { kind: 'value' };
  const m = /^noisy(?::(.+))?$/.exec(t);
  if (m) {
    const noise = m[1] === undefined ? DEFAULT_NOISE : Number(m[1]);
    if (!(noise >= 0 && noise <= 1)) throw usageError(`targeting rule noise must be a number in [0, 1], got '${m[1]}'`);
    return { kind: 'noisy', noise };
  }
  throw usageError(`unknown targeting rule '${text}': use 'value', 'noisy' or 'noisy:<probability>'`);
}

/** A short name of a rule for dataset versions and summaries. */
export function ruleLabel(rule: TargetingRule): string {
  return rule.kind === 'value' ? 'value' : `noisy-${rule.noise}`;
}

/** The features the rule looks at. */
export interface RuleFeatures {
  recency: number;
  history: number;
  mens: number;
  womens: number;
  newbie: number;
}

/** Customers whose value score is below this are not mailed (about 44 % of Hillstrom's customers). */
export const RULE_VALUE_THRESHOLD = 0.75;

/**
 * The default ("value") targeting rule, a plausible marketer's policy that selects on outcome drivers:
 * value = (13 − recency)/12 + min(history, 1000)/1000 (recent, high-spending customers score high);
 * below {@link RULE_VALUE_THRESHOLD} → arm 0 (no e-mail); otherwise the e-mail matching what they bought:
 * mens only → Mens E-Mail (2), womens only → Womens E-Mail (1), both or neither → Womens for new customers
 * (newbie = 1), Mens otherwise. Recent, high-history customers visit and spend more whatever they receive,
 * so the OBS e-mail arms look better than they are and OBS controls worse: naive OBS effects are inflated.
 */
export function hillstromRuleArm(f: RuleFeatures): number {
  const value = (13 - f.recency) / 12 + Math.min(f.history, 1000) / 1000;
  if (value < RULE_VALUE_THRESHOLD) return 0;
  const mens = f.mens === 1;
  const womens = f.womens === 1;
  if (mens && !womens) return 2;
  if (womens && !mens) return 1;
  return f.newbie === 1 ? 1 : 2;
}

/** Row indices (into the CSV, 0-based) of every split, plus the rule's choice for each OBS row. */
export interface HillstromRows {
  rct: Int32Array;
  val: Int32Array;
  test: Int32Array;
  /** The 50 % not kept as RCT: OBS candidates. */
  pool: Int32Array;
  obs: Int32Array;
  /** The rule's arm for each OBS row (equal to the randomised arm, by construction). */
  obsRuleArm: Int32Array;
}

/**
 * docs/method.md §6's split: a seeded shuffle of all rows; the first 10 % is rct, the next 10 % val, the next 30 %
 * test, the rest the pool; OBS = pool rows whose randomised arm equals the rule's choice. Each split is
 * returned in ascending row order. The noisy rule draws from its own stream (seed, 'rule').
 */
export function hillstromRows(
  arm: Int32Array,
  features: (i: number) => RuleFeatures,
  seed: number,
  rule: TargetingRule = DEFAULT_RULE,
): HillstromRows {
  const n = arm.length;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  createRng(deriveSeed(seed, 'hillstrom-hybrid', 'split')).shuffle(order);
  const nRct = Math.round(n * HILLSTROM_SPLIT_FRACTIONS.rct);
  const nVal = Math.round(n * HILLSTROM_SPLIT_FRACTIONS.val);
  const nTest = Math.round(n * HILLSTROM_SPLIT_FRACTIONS.test);
  const sorted = (a: Int32Array) => a.slice().sort();
  const rct = sorted(order.subarray(0, nRct));
  const val = sorted(order.subarray(nRct, nRct + nVal));
  const test = sorted(order.subarray(nRct + nVal, nRct + nVal + nTest));
  const pool = sorted(order.subarray(nRct + nVal + nTest));
  const rng = createRng(deriveSeed(seed, 'hillstrom-hybrid', 'rule'));
  const obs: number[] = [];
  const ruleArms: number[] = [];
  for (const i of pool) {
    let choice = hillstromRuleArm(features(i));
    if (rule.kind === 'noisy' && rng.next() < rule.noise) choice = rng.int(HILLSTROM_ARMS.length);
    if (choice === arm[i]) {
      obs.push(i);
      ruleArms.push(choice);
    }
  }
  return { rct, val, test, pool, obs: Int32Array.from(obs), obsRuleArm: Int32Array.from(ruleArms) };
}

/** Arm index per row from the `segment` column (an error naming the row for an unknown segment). */
export function hillstromArms(raw: RawTable, file: string): Int32Array {
  const seg = textColumn(raw, 'segment', file);
  const index = new Map<string, number>(HILLSTROM_ARMS.map((a, j) => [a, j]));
  return Int32Array.from(seg, (s, i) => {
    const j = index.get(s);
    if (j === undefined)
      throw new Error(`${file}: segment '${s}' at data row ${i + 1} is none of ${HILLSTROM_ARMS.join(', ')}`);
    return j;
  });
}

/** The dataset spec of hillstrom-hybrid for given split URIs. */
export function hillstromSpec(version: string, uris: Record<Split, string[]>): DatasetSpecInput {
  return {
    name: 'hillstrom-hybrid',
    version,
    format: 'parquet',
    splits: uris,
    columns: {
      arm: 'arm',
      revenue: 'spend',
      cost: 'visit',
      userId: 'user_id',
      features: [...HILLSTROM_NUMERIC],
      categorical: [...HILLSTROM_CATEGORICAL],
    },
    // Every arm's cost (a visit) is an outcome the control group has too: no arm costs 0 by definition
    // (docs/method.md §3.6).
    arms: HILLSTROM_ARMS.map((name) => ({ name, zeroCost: false })),
    // The experiment's design: each customer had a 1/3 chance of each arm.
    propensities: HILLSTROM_ARMS.map(() => 1 / HILLSTROM_ARMS.length),
  };
}

/** Reads hillstrom.csv from the data directory and builds every split's columns and the statistics. */
export async function buildHillstromHybrid(
  dataDir: string,
  seed: number,
  rule: TargetingRule,
  version: string,
): Promise<{ splits: Partial<Record<Split, SplitTable>>; stats: BuiltDatasetStats }> {
  const file = requireDataFile(dataDir, HILLSTROM_FILE, 'hillstrom-hybrid');
  const raw = await readCsvFile(file);
  const arm = hillstromArms(raw, file);
  const spend = numberColumn(raw, 'spend', file);
  const visit = numberColumn(raw, 'visit', file);
  numberColumn(raw, 'conversion', file);
  const num = Object.fromEntries(HILLSTROM_NUMERIC.map((c) => [c, numberColumn(raw, c, file)])) as Record<
    (typeof HILLSTROM_NUMERIC)[number],
    Float64Array
  >;
  for (const c of HILLSTROM_CATEGORICAL) textColumn(raw, c, file);
  const rows = hillstromRows(
    arm,
    (i) => ({
      recency: num.recency[i]!,
      history: num.history[i]!,
      mens: num.mens[i]!,
      womens: num.womens[i]!,
      newbie: num.newbie[i]!,
    }),
    seed,
    rule,
  );

  const m = HILLSTROM_ARMS.length;
  const rename = Object.fromEntries(
    ['segment', 'spend', 'visit', 'conversion', ...HILLSTROM_NUMERIC, ...HILLSTROM_CATEGORICAL].map((c) => [c, c]),
  );
  const build = (idx: Int32Array): SplitTable => {
    const cols = takeRawRows(raw, idx, rename);
    // The feature builder one-hot encodes categorical columns from their text: keep them strings even if a file
    // spells them as numbers.
    for (const c of HILLSTROM_CATEGORICAL)
      if (!Array.isArray(cols[c])) cols[c] = Array.from(cols[c] as Float64Array, String);
    return {
      n: idx.length,
      columns: {
        user_id: Array.from(idx, (i) => String(i + 1)), // the CSV's 1-based data row
        arm: pick(arm, idx),
        ...cols,
      },
    };
  };
  const splits: Partial<Record<Split, SplitTable>> = {
    rct: build(rows.rct),
    val: build(rows.val),
    test: build(rows.test),
    obs: build(rows.obs),
  };
  splits.obs!.columns.rule_arm = rows.obsRuleArm;

  const stat = (idx: Int32Array) => splitStats(pick(arm, idx), pick(spend, idx), pick(visit, idx), m);
  const st = { rct: stat(rows.rct), val: stat(rows.val), test: stat(rows.test), obs: stat(rows.obs) };
  const stats: BuiltDatasetStats = {
    name: 'hillstrom-hybrid',
    version,
    arms: [...HILLSTROM_ARMS],
    splits: st,
    obsBias: obsBias(st.obs, poolStats([st.rct, st.val, st.test], m)),
    notes: [
      `${raw.numRows} rows of ${file}; revenue = spend, cost = visit; split seed ${seed}`,
      `OBS: ${rows.obs.length} of ${rows.pool.length} pool rows ` +
        `whose randomised arm equals the '${ruleLabel(rule)}' targeting rule's choice`,
    ],
  };
  return { splits, stats };
}
