import { RegistryError, assertModelName, cliOrigin, promoteModel, rollbackModel } from '@bidfcl/runtime';
import { parse, printed } from '../args.js';
import { CliError, usageError } from '../cli-error.js';
import { cliEnv, connect } from '../context.js';
import { listCommand, showCommand } from './models-show.js';
import { createRuntimeContextForStore } from './store-only.js';

export const modelsHelp = `bidfcl models promote <runId> <method> --name <model>
bidfcl models list [--json]
bidfcl models show <model>[@<version>] [--json]
bidfcl models rollback <model>
  The model registry: named models, each a list of versions (a run's trained model with its feature encoding,
  metrics and weights, copied under models/<model>/) and a current version.
  promote   makes the run's trained <method> the next version of <model> (created on first use) and its current one
  list      every model with its current version
  show      a version (the current one without @<version>): run, method, encoding, validation and test metrics
  rollback  moves current back to the version that was current before it (again: further back)
  Model names: [a-z0-9._-]. Exit status 1 for an unknown model, version, run or method, 2 for a malformed request.`;

/** A registry refusal as the CLI reports it: exit 2 for malformed requests, 1 for what the store lacks. */
async function registry<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof RegistryError) throw new CliError(err.message, err.usage ? 2 : 1);
    throw err;
  }
}

async function promote(positionals: string[], name: string | undefined): Promise<number> {
  const [runId, method, ...extra] = positionals;
  if (!runId || !method || extra.length || !name)
    throw usageError(`models promote needs <runId> <method> --name <model>\n${modelsHelp}`);
  assertModelName(name); // before connecting: a malformed name needs no Redis to be refused
  const ctx = await connect();
  try {
    const v = await registry(() => promoteModel(ctx, { model: name, runId, method, by: cliOrigin() }));
    console.log(`promoted run ${runId}'s ${v.method} as ${name} version ${v.version} (now current)`);
    return 0;
  } finally {
    await ctx.close();
  }
}

async function rollback(positionals: string[]): Promise<number> {
  const [name, ...extra] = positionals;
  if (!name || extra.length) throw usageError(`models rollback needs exactly one <model>\n${modelsHelp}`);
  const ctx = await connect();
  try {
    const p = await registry(() => rollbackModel(ctx, assertModelName(name), cliOrigin()));
    console.log(`${name}: current is version ${p.version} again (was ${p.moves.at(-1)?.from})`);
    return 0;
  } finally {
    await ctx.close();
  }
}

export async function modelsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { name: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
    true,
  );
  if (values.help) return printed(modelsHelp);
  const [verb, ...rest] = positionals;
  const json = values.json ?? false;
  return registry(async () => {
    switch (verb) {
      case 'promote':
        return promote(rest, values.name);
      case 'rollback':
        return rollback(rest);
      case 'list':
        if (rest.length) throw usageError(`models list takes no arguments\n${modelsHelp}`);
        return listCommand(createRuntimeContextForStore(cliEnv()).store, json);
      case 'show':
        if (rest.length !== 1) throw usageError(`models show needs exactly one <model>[@<version>]\n${modelsHelp}`);
        return showCommand(createRuntimeContextForStore(cliEnv()).store, rest[0]!, json);
      default:
        throw usageError(`${verb ? `unknown models command '${verb}'` : 'models needs a command'}\n${modelsHelp}`);
    }
  });
}
