import { NotFoundError } from '@bidfcl/io';
import {
  listRuns,
  noWorkerMessage,
  readRunNotice,
  readRunRecord,
  runWaitsOnMissingWorkers,
  type RuntimeContext,
} from '@bidfcl/runtime';
import { parse, printed } from '../args.js';
import { CliError } from '../cli-error.js';
import { clusterStatus, withCluster, workerLines } from '../cluster-status.js';
import { cliEnv } from '../context.js';
import { table } from '../output.js';
import { stagesInOrder } from '../run-stages.js';
import { formatRunList } from './run-list.js';
import { createRuntimeContextForStore } from './store-only.js';

export const statusHelp = `bidfcl status [runId] [--json]
  Without a run id: every run in the store, newest first, then each queue's depth and the live workers per role.
  With one: its stages, timings and artefacts. Either way it says when work waits on a role no worker serves.
  --json prints the runs (or the run) only, as before.`;

export async function statusCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, help: { type: 'boolean' } }, true);
  if (values.help) return printed(statusHelp);
  const ctx = createRuntimeContextForStore(cliEnv());
  const runId = positionals[0];
  if (!runId) {
    console.log(formatRunList(await listRuns(ctx), values.json ?? false, ctx.store.describe()));
    if (!values.json) console.log(`\n${await withCluster(ctx.env, clusterStatus)}`);
    return 0;
  }
  let record;
  try {
    record = await readRunRecord(ctx, runId);
  } catch (err) {
    if (err instanceof NotFoundError) throw new CliError(`no run '${runId}' in ${ctx.store.describe()}`);
    throw err;
  }
  if (values.json) return printed(JSON.stringify(record, null, 2));
  console.log(`run ${record.runId}: ${record.status} (created ${record.createdAt}, updated ${record.updatedAt})`);
  if (record.error) console.log(`error at ${record.error.stage}: ${record.error.message}`);
  if (record.status === 'running' || record.status === 'queued') {
    const notice = await readRunNotice(ctx.env.redisUrl, ctx.env.prefix, runId, ctx.env.redisCaFile);
    if (notice) console.log(`now: ${notice}`);
    const waits = await withCluster(ctx.env, (c) => runWaitLines(c, runId));
    if (waits) console.log(waits);
  }
  const d = record.deploy;
  if (d)
    console.log(
      `deploy to ${d.model}: ${d.promoted ? `promoted as version ${d.version}` : 'not promoted'}; ${d.reason}`,
    );
  const stages = stagesInOrder(record);
  console.log(
    table(
      ['stage', 'status', 'seconds', 'artefacts'],
      stages.map((s) => [s.stage, s.status, s.seconds, s.artefacts.length ? s.artefacts.join(' ') : '']),
    ),
  );
  return 0;
}

/** What a queued or running run waits on that no worker serves; said plainly, or nothing when all is served. */
async function runWaitLines(ctx: RuntimeContext, runId: string): Promise<string> {
  const { roles, live } = await runWaitsOnMissingWorkers(ctx, runId);
  if (!live.known) return workerLines(live);
  return roles.map(noWorkerMessage).join('\n');
}
