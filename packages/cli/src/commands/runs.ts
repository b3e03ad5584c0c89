import { keys, runMetricsSchema, runStatusSchema, type RunMetrics, type RunRecord } from '@bidfcl/contracts';
import { NotFoundError, type ArtefactStore } from '@bidfcl/io';
import {
  RunInProgressError,
  cancelRun,
  deleteRun,
  listRuns,
  parseDuration,
  pruneRuns,
  readRunRecord,
  retryRun,
  type RuntimeContext,
} from '@bidfcl/runtime';
import { parse, printed } from '../args.js';
import { CliError, usageError } from '../cli-error.js';
import { cliEnv, connect } from '../context.js';
import { fmt, table } from '../output.js';
import { formatRunList } from './run-list.js';
import { configDifferences, metricsSideBySide } from '../runs-compare.js';
import { waitAndReport } from './run-wait.js';
import { createRuntimeContextForStore } from './store-only.js';

export const runsHelp = `bidfcl runs list [--status <status>] [--json]
bidfcl runs retry <runId> [--wait]
bidfcl runs cancel <runId>
bidfcl runs delete <runId>…
bidfcl runs prune [--keep <n>] [--older-than <duration>] [--dry-run] [--json]
bidfcl runs compare <runA> <runB> [--json]
  Run management (README, Operations).
  list     every run, newest first (--status queued|running|succeeded|failed|cancelled)
  retry    starts a failed, cancelled or lost run again under its id; what succeeded is kept (training resumes
           from its checkpoints). --wait as for bidfcl run
  cancel   stops a run: its waiting jobs are removed, running ones stop at their next epoch or when they end
  delete   deletes finished runs: their jobs in Redis and every artefact under runs/<runId>/ (model versions
           promoted from them keep their own copy, allocations are not touched)
  prune    deletes the finished runs beyond the newest --keep <n> and/or last updated longer ago than
           --older-than <duration> (30d, 12h, 90m, 2w), then removes finished jobs from every queue, the bench's
           included. --dry-run lists what would go
  compare  the config keys that differ, and each method's mean metrics side by side
  Exit status 1 for an unknown run or a run that cannot be retried, cancelled or deleted now; 2 for a malformed
  request.`;

const single = (rest: string[], verb: string): string => {
  if (rest.length !== 1) throw usageError(`runs ${verb} needs exactly one <runId>\n${runsHelp}`);
  return rest[0]!;
};

/** A missing run as the CLI reports it (exit 1). */
async function known<T>(store: ArtefactStore, runId: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof NotFoundError) throw new CliError(`no run '${runId}' in ${store.describe()}`);
    throw err;
  }
}

/** Runs a command with Redis (cancel, retry, delete, prune change queues). */
async function withRedis(fn: (ctx: RuntimeContext) => Promise<number>): Promise<number> {
  const ctx = await connect();
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

async function list(status: string | undefined, json: boolean): Promise<number> {
  const wanted = status === undefined ? undefined : runStatusSchema.safeParse(status);
  if (wanted && !wanted.success)
    throw usageError(`--status must be one of ${runStatusSchema.options.join(', ')}, got '${status}'`);
  const { store } = createRuntimeContextForStore(cliEnv());
  const runs = (await listRuns({ store })).filter((r) => !wanted?.success || r.status === wanted.data);
  const where = `${store.describe()}${status ? ` with status ${status}` : ''}`;
  return printed(formatRunList(runs, json, where));
}

async function retry(runId: string, wait: boolean): Promise<number> {
  return withRedis(async (ctx) => {
    const outcome = await known(ctx.store, runId, () => retryRun(ctx, runId));
    if (!outcome.retried)
      throw new CliError(
        outcome.reason === 'succeeded'
          ? `run ${runId} succeeded: nothing to retry`
          : `run ${runId} is ${outcome.status} and its jobs may still run: nothing to retry (bidfcl runs cancel ` +
              `${runId} stops it)`,
      );
    console.log(`run ${runId}: retrying from what the store holds (its recorded config)`);
    return wait ? waitAndReport(ctx, runId) : 0;
  });
}

async function cancel(runId: string): Promise<number> {
  return withRedis(async (ctx) => {
    const c = await known(ctx.store, runId, () => cancelRun(ctx, runId));
    if (!c.cancelled) throw new CliError(`run ${runId} is ${c.before}: nothing to cancel`);
    const running = c.runningJobs
      ? `; ${c.runningJobs} running job(s) stop at their next progress report or when they end`
      : '';
    console.log(`run ${runId} cancelled: ${c.removedJobs} waiting job(s) removed${running}`);
    return 0;
  });
}

async function remove(runIds: string[]): Promise<number> {
  if (runIds.length === 0) throw usageError(`runs delete needs at least one <runId>\n${runsHelp}`);
  return withRedis(async (ctx) => {
    for (const runId of runIds) {
      const d = await known(ctx.store, runId, () => deleteRun(ctx, runId)).catch((err: unknown) => {
        throw err instanceof RunInProgressError ? new CliError(err.message) : err;
      });
      console.log(`deleted run ${runId}: ${d.objects} artefacts, ${d.jobs} jobs`);
    }
    return 0;
  });
}

async function prune(values: { keep?: string; 'older-than'?: string; 'dry-run'?: boolean }, json: boolean) {
  let keep: number | undefined;
  if (values.keep !== undefined) {
    keep = Number(values.keep);
    if (!Number.isInteger(keep) || keep < 0)
      throw usageError(`--keep must be a whole number ≥ 0, got '${values.keep}'`);
  }
  let olderThanMs: number | undefined;
  if (values['older-than'] !== undefined) {
    try {
      olderThanMs = parseDuration(values['older-than']);
    } catch (err) {
      throw usageError(`--older-than: ${(err as Error).message}`);
    }
  }
  if (keep === undefined && olderThanMs === undefined)
    throw usageError(`runs prune needs --keep <n> or --older-than <duration> (or both)\n${runsHelp}`);
  const dryRun = values['dry-run'] ?? false;
  return withRedis(async (ctx) => {
    const outcome = await pruneRuns(
      ctx,
      { ...(keep !== undefined ? { keep } : {}), ...(olderThanMs !== undefined ? { olderThanMs } : {}) },
      { dryRun, onRun: (d) => json || console.log(`deleted run ${d.runId}: ${d.objects} artefacts, ${d.jobs} jobs`) },
    );
    if (json) return printed(JSON.stringify({ dryRun, ...outcome }, null, 2));
    if (dryRun) {
      for (const r of outcome.runs) console.log(`would delete run ${r.runId}`);
      return printed(`dry run: ${outcome.runs.length} run(s) would be deleted, ${outcome.kept} kept`);
    }
    const jobs = Object.entries(outcome.jobsCleaned)
      .map(([prefix, n]) => `${n} in ${prefix}`)
      .join(', ');
    return printed(`pruned ${outcome.runs.length} run(s), kept ${outcome.kept}; finished jobs removed: ${jobs}`);
  });
}

async function metricsOf(store: ArtefactStore, runId: string): Promise<RunMetrics | undefined> {
  try {
    return runMetricsSchema.parse(await store.getJson(keys.reportMetrics(runId)));
  } catch (err) {
    if (err instanceof NotFoundError) return undefined; // a run that has not evaluated yet: config only
    throw err;
  }
}

const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

async function compare(rest: string[], json: boolean): Promise<number> {
  if (rest.length !== 2) throw usageError(`runs compare needs exactly two run ids\n${runsHelp}`);
  const [a, b] = rest as [string, string];
  const { store } = createRuntimeContextForStore(cliEnv());
  const read = (id: string): Promise<RunRecord> => known(store, id, () => readRunRecord({ store }, id));
  const [ra, rb] = await Promise.all([read(a), read(b)]);
  const [ma, mb] = await Promise.all([metricsOf(store, a), metricsOf(store, b)]);
  const config = configDifferences(ra.config, rb.config);
  const metrics = metricsSideBySide(ma, mb);
  if (json) return printed(JSON.stringify({ a, b, status: [ra.status, rb.status], config, metrics }, null, 2));
  console.log(`${a} (${ra.status}) vs ${b} (${rb.status})`);
  console.log(
    config.length
      ? `\nconfig: ${config.length} difference(s)\n${table(
          ['key', a, b],
          config.map((d) => [d.key, show(d.a), show(d.b)]),
        )}`
      : '\nconfig: identical (but for the run id)',
  );
  if (!ma || !mb) console.log(`\nmetrics: ${[!ma && a, !mb && b].filter(Boolean).join(' and ')} has none yet`);
  if (metrics.length)
    console.log(
      `\n${table(
        ['method', 'metric', a, b, 'b − a'],
        metrics.map((m) => [m.method, m.metric, m.a, m.b, m.diff === undefined ? undefined : fmt(m.diff)]),
      )}`,
    );
  return 0;
}

export async function runsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      status: { type: 'string' },
      wait: { type: 'boolean' },
      keep: { type: 'string' },
      'older-than': { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    true,
  );
  if (values.help) return printed(runsHelp);
  const [verb, ...rest] = positionals;
  const json = values.json ?? false;
  switch (verb) {
    case 'list':
      if (rest.length) throw usageError(`runs list takes no arguments\n${runsHelp}`);
      return list(values.status, json);
    case 'retry':
      return retry(single(rest, 'retry'), values.wait ?? false);
    case 'cancel':
      return cancel(single(rest, 'cancel'));
    case 'delete':
      return remove(rest);
    case 'prune':
      if (rest.length) throw usageError(`runs prune takes no run ids\n${runsHelp}`);
      return prune(values, json);
    case 'compare':
      return compare(rest, json);
    default:
      throw usageError(`${verb ? `unknown runs command '${verb}'` : 'runs needs a command'}\n${runsHelp}`);
  }
}
