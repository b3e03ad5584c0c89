import {
  deployBaselineSchema,
  deployDecisionSchema,
  keys,
  type DeployDecision,
  type RunMetrics,
  type RunRecord,
} from '@bidfcl/contracts';
import {
  computeMethodMetrics,
  decidePromotion,
  pickCandidate,
  type EvaluationInput,
  type PromotionInput,
} from '@bidfcl/core';
import { NotFoundError, decodeScoreMatrix, type ArtefactStore } from '@bidfcl/io';
import { promoteModel, readPointer, readVersion, type RuntimeContext } from '@bidfcl/runtime';

type Metric = DeployDecision['metric'];
/** The test split and budgets the run's methods were measured on. */
export type Evaluation = Omit<EvaluationInput, 'methods'>;

/**
 * The current version as deploy.score.v1 scored it on this run's test split, its guardrail value computed by the
 * same metric code as the run's methods; or why it was not compared. Undefined: the model has no version.
 */
async function currentVersion(
  store: ArtefactStore,
  runId: string,
  evaluation: Evaluation,
  metric: Metric,
): Promise<PromotionInput['current']> {
  const baseline = deployBaselineSchema.parse(await store.getJson(keys.deployBaseline(runId)));
  const pointer = await readPointer(store, baseline.model);
  if (!pointer) return undefined;
  if (pointer.version !== baseline.version) {
    // Promoted between the scoring and now: what was compared is not what a promotion would replace.
    const { version, runId: from, method } = await readVersion(store, baseline.model, pointer.version);
    const scored = baseline.version === undefined ? 'none was current' : `version ${baseline.version} was`;
    return { version, runId: from, method, unscorable: `it became current after this run's scoring (${scored})` };
  }
  const who = { version: pointer.version, runId: baseline.runId ?? '', method: baseline.method ?? '' };
  if (baseline.unscorable !== undefined || !baseline.scoresKey)
    return { ...who, unscorable: baseline.unscorable ?? 'no scores were written' };
  const scores = decodeScoreMatrix(
    await store.get(baseline.scoresKey),
    evaluation.test.m,
    store.describe(baseline.scoresKey),
  );
  const name = `${baseline.model}@${baseline.version}`;
  const [scored] = computeMethodMetrics({ ...evaluation, methods: [{ method: name, scores }] });
  const value = scored?.mean[metric];
  return { ...who, ...(value !== undefined ? { value } : {}) };
}

async function decide(
  store: ArtefactStore,
  record: RunRecord,
  metrics: RunMetrics,
  evaluation: Evaluation,
): Promise<DeployDecision> {
  const { model, promote, guardrail } = record.config.deploy!;
  const { metric, margin } = guardrail;
  const input = { model, promote: promote as PromotionInput['promote'], metric, margin };
  if (metric === 'trueValue' && !metrics.hasTruth) {
    const reason = "guardrail metric 'trueValue' needs simulated data (no ground truth here): use 'eom'";
    return { ...input, promoted: false, reason };
  }
  const candidate = pickCandidate(metrics.methods, metric);
  const current = promote === 'if-better' ? await currentVersion(store, record.runId, evaluation, metric) : undefined;
  return decidePromotion({ ...input, candidate, ...(current ? { current } : {}) });
}

/**
 * The deploy step of a run whose config asks for one (promote: always | if-better), after its metrics are
 * computed: decides (pure, core), writes the decision, then promotes. A retried evaluate job reuses the written
 * decision (after a promotion, comparing again would compare the run with itself) and promotes at most once.
 */
export async function deployStep(
  runtime: RuntimeContext,
  record: RunRecord,
  metrics: RunMetrics,
  evaluation: Evaluation,
): Promise<DeployDecision | undefined> {
  const deploy = record.config.deploy;
  if (!deploy || deploy.promote === 'never') return undefined;
  const { store } = runtime;
  const key = keys.deployDecision(record.runId);
  let decision = await store.getJson(key).then(
    (j) => deployDecisionSchema.parse(j),
    (err: unknown) => {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    },
  );
  if (!decision) {
    decision = await decide(store, record, metrics, evaluation);
    await store.putJson(key, decision);
  }
  if (decision.promoted && decision.version === undefined) {
    const by = { ...(record.startedBy ?? { via: 'cli' as const }), run: record.runId };
    const method = decision.candidate!.method;
    const version = await promoteModel(runtime, {
      model: deploy.model,
      runId: record.runId,
      method,
      by,
      metrics,
      once: true,
    });
    decision = { ...decision, version: version.version };
    await store.putJson(key, decision);
  }
  return decision;
}
