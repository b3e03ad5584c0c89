import { METHOD_INFO, type DeployDecision, type MethodId, type MethodMetrics } from '@bidfcl/contracts';

type Metric = DeployDecision['metric'];

/** A method and its guardrail value (the metric's mean over the run's budgets). */
export interface Scored {
  method: string;
  value: number;
}

/**
 * The run's best trained method by the mean of `metric` over budgets: references (oracle, random) and skipped
 * methods never qualify, nor does a method without that metric (trueValue on real data). Ties go to the method
 * listed first. Undefined when none qualifies.
 */
export function pickCandidate(methods: MethodMetrics[], metric: Metric): Scored | undefined {
  let best: Scored | undefined;
  for (const m of methods) {
    const info = METHOD_INFO[m.method as MethodId] as (typeof METHOD_INFO)[MethodId] | undefined;
    const value = m.mean[metric];
    if (!info?.trained || m.skipped || value === undefined || !Number.isFinite(value)) continue;
    if (!best || value > best.value) best = { method: m.method, value };
  }
  return best;
}

/** What the deploy step knows when it decides. */
export interface PromotionInput {
  model: string;
  promote: 'always' | 'if-better';
  metric: Metric;
  margin: number;
  candidate: Scored | undefined;
  /** if-better: the current version, its value on this run's test split, or why it was not compared. */
  current?: { version: number; runId: string; method: string; value?: number; unscorable?: string };
}

/**
 * Decides a promotion. `always` promotes the candidate; `if-better` promotes it when the model has no current
 * version, or when the candidate exceeds current + margin·|current| on the same test split — and refuses when
 * the current version was not compared on it (a comparison that was not made is no evidence). Pure.
 */
export function decidePromotion(input: PromotionInput): DeployDecision {
  const { model, promote, metric, margin, candidate, current } = input;
  const base = { model, promote, metric, margin, ...(candidate ? { candidate } : {}) };
  const currentInfo = current
    ? {
        version: current.version,
        runId: current.runId,
        method: current.method,
        ...(current.value !== undefined ? { value: current.value } : {}),
      }
    : undefined;
  const no = (reason: string): DeployDecision => ({
    ...base,
    promoted: false,
    reason,
    ...(currentInfo ? { current: currentInfo } : {}),
  });
  if (!candidate) return no(`no trained method of this run has a ${metric} to rank by`);
  if (promote === 'always') return { ...base, promoted: true, reason: `promote: always (best by ${metric})` };
  if (!current) return { ...base, promoted: true, reason: `'${model}' has no current version` };
  if (current.unscorable !== undefined)
    return no(`version ${current.version} was not compared on this run's test split: ${current.unscorable}`);
  if (current.value === undefined) return no(`version ${current.version} has no ${metric} on this run's test split`);
  const threshold = current.value + margin * Math.abs(current.value);
  const verdict = candidate.value > threshold;
  const f = (x: number) => String(Number(x.toPrecision(6)));
  const cmp = `${candidate.method} ${metric} ${f(candidate.value)} ${verdict ? '>' : '≤'} ${f(threshold)}`;
  const reason = `${cmp} (version ${current.version} re-scored: ${f(current.value)}, margin ${margin})`;
  return { ...base, promoted: verdict, reason, current: currentInfo!, threshold };
}
