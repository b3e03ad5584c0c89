import { allocationIdSchema, keys } from '@bidfcl/contracts';
import { listAllocations, readAllocationSummary } from '../allocations-read.js';
import { parse, printed } from '../args.js';
import { CliError, usageError } from '../cli-error.js';
import { cliEnv } from '../context.js';
import { createRuntimeContextForStore } from './store-only.js';

export const allocationsHelp = `bidfcl allocations list [--json]
bidfcl allocations show <allocationId> [--json]
  Population allocations (bidfcl allocate): list shows each with its model, users, budget and λ*, or that it is
  unfinished (no summary.json yet: running or failed); show prints one allocation's summary.json.`;

export async function allocationsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, help: { type: 'boolean' } }, true);
  if (values.help) return printed(allocationsHelp);
  const [verb, ...rest] = positionals;
  const { store } = createRuntimeContextForStore(cliEnv());
  if (verb === 'list' && rest.length === 0) {
    const rows = await listAllocations(store);
    if (values.json)
      return printed(
        JSON.stringify(
          rows.map((r) => r.summary ?? { allocationId: r.id }),
          null,
          2,
        ),
      );
    if (rows.length === 0) return printed('no allocations');
    for (const { id, summary: s } of rows)
      console.log(
        s
          ? `${id}  ${s.model}@${s.version}  ${s.users} users  budget ${s.budget}  ` +
              `spend ${s.predictedSpend}  λ* ${s.lambda}`
          : `${id}  unfinished (no summary.json)`,
      );
    return 0;
  }
  if (verb === 'show' && rest.length === 1) {
    const id = rest[0]!;
    if (!allocationIdSchema.safeParse(id).success) throw usageError(`invalid allocation id '${id}'`);
    const s = await readAllocationSummary(store, id);
    if (!s)
      throw new CliError(
        `allocation '${id}' has no ${store.describe(keys.allocationSummary(id))}: unknown, running or failed`,
      );
    return printed(JSON.stringify(s, null, 2));
  }
  const what = verb ? `bad allocations command '${[verb, ...rest].join(' ')}'` : 'allocations needs a command';
  throw usageError(`${what}\n${allocationsHelp}`);
}
