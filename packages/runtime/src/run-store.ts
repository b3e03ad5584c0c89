import {
  deployDecisionSchema,
  keys,
  runRecordSchema,
  stageRecordSchema,
  type Origin,
  type RunConfig,
  type RunRecord,
  type StageRecord,
} from '@bidfcl/contracts';
import { NotFoundError } from '@bidfcl/io';
import type { RuntimeContext } from './context.js';
import { runFailure } from './run-failure.js';
import { ALLOCATION_STAGE } from './run-allocation.js';
import { publishRunEvent, type StageEvent } from './run-events.js';

const now = () => new Date().toISOString();

/** Writes runs/<runId>/run.json unless it exists. Returns false (and leaves it) when the run exists already. */
export async function createRunRecord(
  ctx: RuntimeContext,
  config: RunConfig,
  startedBy?: Origin,
): Promise<{ created: boolean; record: RunRecord }> {
  const key = keys.runJson(config.runId);
  if (await ctx.store.exists(key)) return { created: false, record: await readRunRecord(ctx, config.runId) };
  const t = now();
  const record: RunRecord = {
    runId: config.runId,
    status: 'queued',
    createdAt: t,
    updatedAt: t,
    config,
    stages: {},
    ...(startedBy ? { startedBy } : {}),
  };
  await ctx.store.putJson(key, record);
  return { created: true, record };
}

export async function readRunRecord(ctx: Pick<RuntimeContext, 'store'>, runId: string): Promise<RunRecord> {
  return runRecordSchema.parse(await ctx.store.getJson(keys.runJson(runId)));
}

/** The run's record, or undefined for a run the store does not hold. */
export async function readRunRecordIfAny(
  ctx: Pick<RuntimeContext, 'store'>,
  runId: string,
): Promise<RunRecord | undefined> {
  try {
    return await readRunRecord(ctx, runId);
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

/** The run's config as recorded at creation (workers never trust a config from a payload). */
export async function readRunConfig(ctx: Pick<RuntimeContext, 'store'>, runId: string): Promise<RunConfig> {
  try {
    return (await readRunRecord(ctx, runId)).config;
  } catch (err) {
    if (err instanceof NotFoundError) {
      const e = new Error(`run '${runId}' does not exist in ${ctx.store.describe()}`);
      e.name = 'PermanentJobError';
      throw e;
    }
    throw err;
  }
}

/** Stage name from a deterministic job id `<runId>.<stage>`. */
export function stageOfJob(runId: string, jobId: string): string {
  return jobId.startsWith(`${runId}.`) ? jobId.slice(runId.length + 1) : jobId;
}

/**
 * Records a stage transition, publishes it, and folds it into run.json. The stage event goes out after its
 * record is stored (a listener that reads the record finds it) and before the refresh that may publish the
 * run's final event (a listener that stops at the run event has seen every stage event before it).
 */
export async function recordStage(
  ctx: RuntimeContext,
  runId: string,
  record: StageRecord,
  event?: Omit<StageEvent, 'type' | 'stage'>,
): Promise<RunRecord | undefined> {
  await ctx.store.putJson(keys.stageRecord(runId, record.stage), stageRecordSchema.parse(record));
  if (event) await publishRunEvent(ctx.redis, ctx.env.prefix, runId, { type: 'stage', stage: record.stage, ...event });
  return refreshRunRecord(ctx, runId);
}

/** Reads every stage record of a run. */
export async function readStageRecords(
  ctx: Pick<RuntimeContext, 'store'>,
  runId: string,
): Promise<Record<string, StageRecord>> {
  const stageKeys = await ctx.store.list(keys.stagesPrefix(runId));
  const records = await Promise.all(
    stageKeys
      .filter((k) => k.endsWith('.json'))
      .map(async (k) => {
        // A record being written right now may read as partial on stores without atomic PUTs (s3rver): its
        // writer folds it into run.json itself, right after writing it, so skipping it here loses nothing.
        try {
          return stageRecordSchema.parse(await ctx.store.getJson(k));
        } catch (err) {
          if (err instanceof NotFoundError) return undefined;
          if (err instanceof SyntaxError || /not valid JSON/.test((err as Error).message)) return undefined;
          throw err;
        }
      }),
  );
  return Object.fromEntries(records.filter((r): r is StageRecord => !!r).map((r) => [r.stage, r]));
}

/**
 * Rebuilds run.json from the stage records under a short Redis lock, so that two stages ending at once do
 * not overwrite each other's view. Publishes the run's final status once it is known.
 */
export async function refreshRunRecord(ctx: RuntimeContext, runId: string): Promise<RunRecord | undefined> {
  return withRunLock(ctx, runId, async () => {
    const record = await readRunRecordIfAny(ctx, runId);
    if (!record) return undefined;
    const before = record.status;
    const stages = await readStageRecords(ctx, runId);
    record.stages = stages;
    const failure = runFailure(runId, stages);
    if (before === 'cancelled') {
      // Cancelled stays cancelled (and keeps its reason): jobs that were running when it was cancelled end
      // afterwards, most of them failing with "run … was cancelled", and must not make it failed or running.
    } else if (failure) {
      record.status = 'failed';
      record.error = failure;
    } else if (
      stages.evaluate?.status === 'succeeded' &&
      // With `allocate:`, the run ends with its population allocation (summary.json written), not at evaluate.
      (!record.config.allocate || stages[ALLOCATION_STAGE]?.status === 'succeeded')
    ) {
      record.status = 'succeeded';
      if (stages.evaluate.summary) record.metrics = stages.evaluate.summary;
      const deploy = deployDecisionSchema.safeParse(stages.evaluate.summary?.deploy);
      if (deploy.success) record.deploy = deploy.data;
    } else if (before === 'succeeded') {
      // A job of a finished run started again: at-least-once delivery (a lock lost under a long synchronous step,
      // a stalled check racing a kill) re-runs a job that had completed. It recomputes the same artefacts; it
      // does not reopen the run, whose metrics stand (issue 13: run.json read 'running' after `run --wait` had
      // said succeeded).
    } else if (Object.keys(stages).length > 0) {
      record.status = 'running';
    }
    record.updatedAt = now();
    await ctx.store.putJson(keys.runJson(runId), record);
    if (before !== record.status && (record.status === 'failed' || record.status === 'succeeded')) {
      await publishRunEvent(ctx.redis, ctx.env.prefix, runId, {
        type: 'run',
        status: record.status,
        ...(record.error ? { error: record.error } : {}),
      });
    }
    return record;
  });
}

/**
 * Runs `fn` holding the run's short Redis lock: every writer of run.json after its creation (the refresh above, a
 * cancel) takes it, so that none overwrites another's view with one it read before.
 */
export async function withRunLock<T>(ctx: RuntimeContext, runId: string, fn: () => Promise<T>): Promise<T> {
  const lockKey = `${ctx.env.prefix}:run-lock:${runId}`;
  const token = `${process.pid}.${Math.random()}`;
  for (let i = 0; i < 200; i++) {
    if (await ctx.redis.set(lockKey, token, 'PX', 10_000, 'NX')) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  try {
    return await fn();
  } finally {
    // Release only our own lock.
    await ctx.redis.eval(
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
      1,
      lockKey,
      token,
    );
  }
}

/**
 * Every run in the store, newest first. Lists run ids one level below runs/ (not every artefact of every run:
 * a year of nightly runs holds ~10⁵ objects) and reads each run.json; ids without one are skipped.
 */
export async function listRuns(ctx: Pick<RuntimeContext, 'store'>): Promise<RunRecord[]> {
  const ids = await ctx.store.listDirs(keys.runsPrefix());
  const records = await Promise.all(
    ids.map((id) =>
      ctx.store.getJson(keys.runJson(id)).then(
        (j) => runRecordSchema.safeParse(j),
        (err) => {
          if (err instanceof NotFoundError) return { success: false as const };
          throw err;
        },
      ),
    ),
  );
  return records.flatMap((r) => (r.success ? [r.data] : [])).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
