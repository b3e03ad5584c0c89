import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { SPLITS, assertSafeId, keys, type DatasetSpec } from '@bidfcl/contracts';
import { ConfigurationError, resolveDatasetSources } from '@bidfcl/runtime';
import { parse, printed } from '../args.js';
import { usageError } from '../cli-error.js';
import { loadDatasetFile } from '../config-file.js';
import { cliEnv } from '../context.js';
import { createRuntimeContextForStore } from './store-only.js';

export const datasetsHelp = `bidfcl datasets upload <name> <dataset.yaml> [--version <v>] [--json]
  Puts a dataset whose tables are local files into the store, so that workers running elsewhere (docker compose,
  Kubernetes) can read it: every table of every split goes to datasets/<name>/<version>/<split>/part-NNNNN.<ext>
  and a dataset.yaml naming them beside. The version defaults to the upload's UTC time (yyyymmdd-hhmmss), so
  that store:datasets/<name>/@latest/… names the newest upload. Prints the dataset block to put in a run config.
  Tables already in the store or on S3 are copied too. Exit status 2 for a malformed request or dataset file.`;

/** A version id that sorts by time (`@latest` takes the greatest): yyyymmdd-hhmmss, UTC. */
export const uploadVersion = (at: Date): string => at.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');

/** The bytes of one resolved source: a local file, or a key of the store (`store:`) the upload writes to. */
async function bytesOf(source: string, store: ReturnType<typeof createRuntimeContextForStore>['store']) {
  if (source.startsWith('store:')) return store.get(source.slice('store:'.length));
  if (source.startsWith('s3://')) throw usageError(`${source}: s3:// tables are read by workers directly`);
  return readFile(source);
}

async function upload(name: string, file: string, version: string, json: boolean): Promise<number> {
  const ctx = createRuntimeContextForStore(cliEnv());
  const spec = await loadDatasetFile(file);
  const resolved = await resolveDatasetSources(spec, ctx.store, ctx.env).catch((err: unknown) => {
    throw err instanceof ConfigurationError ? usageError(`${file}: ${err.message}`) : err;
  });
  const prefix = keys.datasetPrefix(name, version);
  const splits: Record<string, string[]> = {};
  let bytes = 0;
  for (const split of SPLITS) {
    splits[split] = [];
    for (const [part, source] of resolved.splits[split].entries()) {
      const ext = path.extname(source).toLowerCase() === '.csv' ? '.csv' : '.parquet';
      const key = keys.datasetPartIn(prefix, split, part).replace(/\.parquet$/, ext);
      const body = await bytesOf(source, ctx.store);
      await ctx.store.put(key, body);
      bytes += body.byteLength;
      if (!json) console.error(`  ${split} ${part + 1}/${resolved.splits[split].length}: ${source} → ${key}`);
    }
    // The folder, through @latest: a run started later reads the newest upload (and records the files it read).
    if (resolved.splits[split].length) splits[split] = [`store:datasets/${name}/@latest/${split}/`];
  }
  const uploaded: DatasetSpec = { ...spec, name, version, splits: splits as DatasetSpec['splits'] };
  // Written last: a dataset.yaml in the store means every table it names is there.
  await ctx.store.put(keys.datasetSpecIn(prefix), stringify(uploaded));
  const files = SPLITS.reduce((n, s) => n + resolved.splits[s].length, 0);
  if (json) return printed(JSON.stringify({ name, version, prefix, files, bytes, dataset: uploaded }, null, 2));
  console.log(`uploaded ${files} table(s), ${bytes} bytes, to ${ctx.store.describe(prefix)}`);
  console.log(`\nin a run config (or a dataset file it names):\n\ndataset:\n${indent(stringify(uploaded))}`);
  return 0;
}

const indent = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');

export async function datasetsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { version: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
    true,
  );
  if (values.help) return printed(datasetsHelp);
  const [verb, ...rest] = positionals;
  if (verb !== 'upload')
    throw usageError(`${verb ? `unknown datasets command '${verb}'` : 'datasets needs a command'}\n${datasetsHelp}`);
  if (rest.length !== 2) throw usageError(`datasets upload needs <name> <dataset.yaml>\n${datasetsHelp}`);
  const [name, file] = rest as [string, string];
  const version = values.version ?? uploadVersion(new Date());
  // An unsafe name or version is the request's fault: refused before anything is read or written.
  try {
    assertSafeId(name, 'dataset name');
    assertSafeId(version, 'dataset version');
  } catch (err) {
    throw usageError((err as Error).message);
  }
  return upload(name, file, version, values.json ?? false);
}
