import {
  allocationIdSchema,
  keys,
  populationSummarySchema,
  type PopulationRequest,
  type PopulationSummary,
} from '@bidfcl/contracts';
import { NotFoundError } from '@bidfcl/io';
import { RegistryError, resolveModel, scanFlow, type RuntimeContext } from '@bidfcl/runtime';
import { intOption, parse, printed } from '../args.js';
import { CliError, usageError } from '../cli-error.js';
import { connect } from '../context.js';
import { planCliAllocation } from './allocate-plan.js';
import { waitForAllocation } from './allocate-wait.js';

export const allocateHelp = `bidfcl allocate --model <name>[@<version>] --users <file | dir/ | s3://…/ | store:…>
                (--budget <money> | --budget-per-user <x>) [--shards <n>] [--id <allocationId>]
                [--user-id-column <col>] [--wait] [--json]
  One arm per user for a whole population, with a registry version's model (the current one without @<version>),
  spending at most the budget (total money, or money per user × users), exactly, sharded over the allocator workers.
  The users table (CSV or Parquet; a folder or prefix: every file in it) needs a user id column (the model's dataset
  columns.userId, else user_id) and the features the model's encoding reads; other columns are ignored.
  Writes allocations/<id>/decisions/part-*.parquet, then allocations/<id>/summary.json (last).
  --shards   shards (jobs) to split the users into (default: one per 500000 users)
  --id       allocation id, [a-z0-9._-] (default <model>-v<version>-<UTC yyyymmddhhmmss>)
  --wait     wait and print progress and the summary; --json prints summary.json
  Exit status 2 for bad input found before enqueueing (missing columns, duplicate ids, empty table, bad options),
  1 for an unknown model or version and for a failed allocation (e.g. a budget that is infeasible or does not bind).`;

const stamp = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14);

function money(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (!(Number.isFinite(x) && x > 0)) throw usageError(`--${name} must be a positive number, got '${value}'`);
  return x;
}

/** The registry version a --model names; a RegistryError becomes exit 1 (unknown) or 2 (malformed). */
async function resolve(ctx: RuntimeContext, ref: string) {
  try {
    return (await resolveModel(ctx.store, ref)).version;
  } catch (err) {
    if (err instanceof RegistryError) throw new CliError(err.message, err.usage ? 2 : 1);
    throw err;
  }
}

export async function allocateCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    model: { type: 'string' },
    users: { type: 'string' },
    budget: { type: 'string' },
    'budget-per-user': { type: 'string' },
    shards: { type: 'string' },
    id: { type: 'string' },
    'user-id-column': { type: 'string' },
    wait: { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (values.help) return printed(allocateHelp);
  if (!values.model || !values.users) throw usageError(`allocate needs --model and --users\n${allocateHelp}`);
  const total = money(values.budget, 'budget');
  const perUser = money(values['budget-per-user'], 'budget-per-user');
  if ((total === undefined) === (perUser === undefined))
    throw usageError(`allocate needs exactly one of --budget and --budget-per-user\n${allocateHelp}`);
  const shardsWanted = values.shards === undefined ? undefined : intOption(values.shards, 'shards', 1);
  if (values.id !== undefined && !allocationIdSchema.safeParse(values.id).success)
    throw usageError(`invalid allocation id '${values.id}': use [a-z0-9._-], starting with a letter or digit`);
  const ctx = await connect();
  try {
    const version = await resolve(ctx, values.model);
    const requestedAt = new Date();
    const allocationId = values.id ?? `${version.model}-v${version.version}-${stamp(requestedAt)}`;
    const userIdColumn = values['user-id-column'] ?? version.config.dataset.columns.userId ?? 'user_id';
    const planned = await planCliAllocation(values.users, version, userIdColumn, shardsWanted, ctx.store, ctx.env);
    const request: PopulationRequest = {
      allocationId,
      model: version.model,
      version: version.version,
      userIdColumn,
      users: planned.users,
      budget: total ?? perUser! * planned.users,
      shards: planned.shards,
      sources: planned.sources,
      requestedAt: requestedAt.toISOString(),
    };
    // The first request of an id wins: enqueueing the same id again is a no-op, as the jobs' ids are. A finished
    // allocation's request went with its staging prefix: its summary.json answers instead.
    const finished = await finishedSummary(ctx, allocationId);
    const exists = finished !== undefined || (await ctx.store.exists(keys.allocationRequest(allocationId)));
    if (!exists) await ctx.store.putJson(keys.allocationRequest(allocationId), request);
    const effective = finished ? undefined : exists ? await existing(ctx, allocationId) : request;
    if (effective) await ctx.queues.addFlow(scanFlow(effective));
    const shown = finished ?? effective!;
    if (!values.json)
      console.log(
        `allocation ${allocationId}: ${shown.users} users in ${finished?.shards ?? effective!.shards.length} ` +
          `shard(s), model ${shown.model}@${shown.version}, budget ${shown.budget}` +
          (exists ? ' (requested before: this request changes nothing)' : ''),
      );
    if (!values.wait) return 0;
    const summary = finished ?? (await waitForAllocation(ctx, allocationId, !values.json, effective));
    console.log(
      values.json
        ? JSON.stringify(summary, null, 2)
        : `summary: ${ctx.store.describe(keys.allocationSummary(allocationId))}`,
    );
    return 0;
  } finally {
    await ctx.close();
  }
}

async function finishedSummary(ctx: RuntimeContext, id: string): Promise<PopulationSummary | undefined> {
  if (!(await ctx.store.exists(keys.allocationSummary(id)))) return undefined;
  return populationSummarySchema.parse(await ctx.store.getJson(keys.allocationSummary(id)));
}

async function existing(ctx: RuntimeContext, id: string): Promise<PopulationRequest> {
  try {
    return await ctx.store.getJson<PopulationRequest>(keys.allocationRequest(id));
  } catch (err) {
    if (err instanceof NotFoundError) throw new CliError(`allocation ${id}: its request vanished`);
    throw err;
  }
}
