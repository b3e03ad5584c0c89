import {
  METHOD_INFO,
  keys,
  methodIdSchema,
  runMetricsSchema,
  type MethodId,
  type ModelVersion,
  type RunMetrics,
} from '@bidfcl/contracts';
import { NotFoundError, loadManifest } from '@bidfcl/io';
import type { RuntimeContext } from '../context.js';
import { readRunRecord } from '../run-store.js';
import { setCurrent } from './pointer.js';
import { assertModelName, listVersions, readPointer, readVersion } from './read.js';
import { RegistryError } from './registry-error.js';
import { nextVersion } from './version-number.js';

type Ctx = Pick<RuntimeContext, 'redis' | 'store' | 'env'>;

export interface PromoteRequest {
  model: string;
  runId: string;
  method: string;
  by: ModelVersion['promotedBy'];
  /** The run's metrics when the caller holds them (the evaluate step, before it writes metrics.json). */
  metrics?: RunMetrics;
  /** Reuse a version already made from this run and method (a retried deploy step) instead of adding one. */
  once?: boolean;
}

async function runMetricsOf(ctx: Ctx, runId: string, status: string): Promise<RunMetrics> {
  try {
    return runMetricsSchema.parse(await ctx.store.getJson(keys.reportMetrics(runId)));
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    throw new RegistryError(`run '${runId}' has no metrics.json yet (status: ${status}): promote it once evaluated`);
  }
}

/** Checks the request against the run and gathers what a version records; nothing is written. */
async function gather(ctx: Ctx, req: PromoteRequest) {
  assertModelName(req.model);
  const parsed = methodIdSchema.safeParse(req.method);
  if (!parsed.success) throw new RegistryError(`unknown method '${req.method}'`, true);
  const method: MethodId = parsed.data;
  if (!METHOD_INFO[method].trained)
    throw new RegistryError(`'${method}' is a reference without a model; promote a trained method`, true);
  const record = await readRunRecord(ctx, req.runId).catch((err: unknown) => {
    if (err instanceof NotFoundError)
      throw new RegistryError(`run '${req.runId}' does not exist in ${ctx.store.describe(keys.runsPrefix())}`);
    throw err;
  });
  if (!record.config.methods.includes(method))
    throw new RegistryError(
      `run '${req.runId}' did not train '${method}' (its methods: ${record.config.methods.join(', ')})`,
    );
  const metrics = req.metrics ?? (await runMetricsOf(ctx, req.runId, record.status));
  const entry = metrics.methods.find((m) => m.method === method);
  if (!entry) throw new RegistryError(`run '${req.runId}' has no metrics for '${method}'`);
  if (entry.skipped) throw new RegistryError(`'${method}' was skipped in run '${req.runId}': ${entry.skipped}`);
  const source = keys.model(req.runId, method, 'target');
  const files = await ctx.store.list(source);
  if (files.length === 0)
    throw new RegistryError(`run '${req.runId}' has no '${method}' model at ${ctx.store.describe(source)}`);
  const manifest = await loadManifest(ctx.store, req.runId);
  const selected = entry.selectedEpoch ?? entry.training.at(-1)?.epoch;
  const validation = entry.training.find((e) => e.epoch === selected);
  const { featureNames, mean, std, vocab, arms, targetScale } = manifest;
  const version = (v: number, at: string): ModelVersion => ({
    model: req.model,
    version: v,
    runId: req.runId,
    method,
    dataset: manifest.dataset,
    config: record.config,
    encoding: { featureNames, mean, std, vocab, arms, targetScale },
    weights: keys.modelWeights(req.model, v),
    copiedFrom: source,
    metrics: {
      ...(validation ? { validation } : {}),
      test: { testRows: metrics.testRows, mean: entry.mean, budgets: entry.budgets },
    },
    promotedAt: at,
    promotedBy: req.by,
  });
  return { method, source, files, version };
}

/** With `once`: the version this run and method made already, if any (newest first: a retry finds it fast). */
async function existing(ctx: Ctx, req: PromoteRequest, method: MethodId): Promise<ModelVersion | undefined> {
  for (const v of (await listVersions(ctx.store, req.model)).reverse()) {
    const found = await readVersion(ctx.store, req.model, v);
    if (found.runId === req.runId && found.method === method) return found;
  }
  return undefined;
}

/**
 * Makes a run's trained model a new version of a named model: takes the next version number (Redis INCR),
 * copies the weights under the registry (the version must outlive its run), writes versions/<v>.json, and only
 * then moves current.json to it — a reader of the pointer finds the version whole. RegistryError for what the
 * run cannot give (unknown run or method, a reference method, a skipped method, no metrics or weights yet).
 */
export async function promoteModel(ctx: Ctx, req: PromoteRequest): Promise<ModelVersion> {
  const { method, source, files, version } = await gather(ctx, req);
  const done = req.once ? await existing(ctx, req, method) : undefined;
  if (done) {
    // A retry after the version was written: finish its pointer move if that is what was lost.
    const pointer = await readPointer(ctx.store, req.model);
    if (!pointer?.moves.some((m) => m.action === 'promote' && m.to === done.version))
      await setCurrent(ctx, req.model, done.version, req.by);
    return done;
  }
  const v = await nextVersion(ctx, req.model);
  const target = keys.modelWeights(req.model, v);
  for (const key of files) await ctx.store.put(target + key.slice(source.length), await ctx.store.get(key));
  const record = version(v, new Date().toISOString());
  await ctx.store.putJson(keys.modelVersion(req.model, v), record);
  await setCurrent(ctx, req.model, v, req.by);
  return record;
}
