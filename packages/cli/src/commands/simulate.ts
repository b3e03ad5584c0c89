import { readFile } from 'node:fs/promises';
import { SCENARIO_PRESETS, formatZodError, keys, parseScenario, type Scenario } from '@bidfcl/contracts';
import { formatSimulationSummary, simulate, summarizeSimulation } from '@bidfcl/core';
import { createStore, LocalStore, parseS3Url } from '@bidfcl/io';
import { deepMerge, parse, parseSets, printed } from '../args.js';
import { usageError } from '../cli-error.js';
import { parseYamlText } from '../config-file.js';
import { cliEnv } from '../context.js';
import { writeSimulatedDataset, type DatasetTarget } from '../simulated-dataset.js';

export const simulateHelp =
  `bidfcl simulate --scenario <preset|file.yaml> [--set key=value …] [--out <dir|s3://bucket/prefix>] ` +
  `[--name <dataset>] [--version <v>]
  Draws the ground-truth simulator's splits (rct, val, obs, test) and writes them as Parquet with dataset.yaml.
  Presets: ${Object.keys(SCENARIO_PRESETS).join(', ')}. ` +
  `--set overrides scenario fields (e.g. --set sizes.obs=50000 --set seed=3); sizes.rct without sizes.val
  gives val = min(10000, rct / 2).
  Without --out the dataset goes to the artefact store (BIDFCL_STORE) under datasets/<name>/<version>/.`;

/** Resolves --scenario (preset name or YAML/JSON file) and --set overrides into a validated scenario. */
export async function resolveScenario(scenario: string, sets: Record<string, unknown>): Promise<Scenario> {
  let base: unknown;
  if (SCENARIO_PRESETS[scenario]) base = SCENARIO_PRESETS[scenario];
  else {
    let text: string;
    try {
      text = await readFile(scenario, 'utf8');
    } catch {
      throw usageError(
        `--scenario '${scenario}' is neither a preset (${Object.keys(SCENARIO_PRESETS).join(', ')}) ` +
          'nor a readable file',
      );
    }
    base = parseYamlText(scenario, text);
    // Anything else (a list, a string, an empty file) would merge into nothing and quietly simulate the defaults.
    if (typeof base !== 'object' || base === null || Array.isArray(base))
      throw usageError(
        `${scenario}: a scenario file must be a mapping of scenario fields (name, sizes, features, …), ` +
          `not ${base === null ? 'an empty document' : Array.isArray(base) ? 'a list' : `a ${typeof base}`}`,
      );
  }
  try {
    return parseScenario(deepMerge(base, sets));
  } catch (err) {
    const issues = (err as { issues?: unknown }).issues ? formatZodError(err as never) : (err as Error).message;
    throw usageError(`invalid scenario ${scenario}:\n${issues}`);
  }
}

export async function simulateCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    scenario: { type: 'string', default: 'marketing-8' },
    set: { type: 'string', multiple: true },
    out: { type: 'string' },
    name: { type: 'string' },
    version: { type: 'string' },
    help: { type: 'boolean' },
  });
  if (values.help) return printed(simulateHelp);
  const scenario = await resolveScenario(values.scenario!, parseSets(values.set));
  const name = values.name ?? scenario.name;
  const version = values.version ?? `seed-${scenario.seed}`;
  const env = cliEnv();
  const t0 = performance.now();
  const data = simulate(scenario);
  let target: DatasetTarget;
  if (!values.out) {
    const store = createStore(env.storeUrl, env.s3);
    target = { store, prefix: keys.datasetPrefix(name, version), uriOf: (k) => `store:${k}` };
  } else if (values.out.startsWith('s3://')) {
    const { bucket, key } = parseS3Url(values.out);
    const prefix = key && !key.endsWith('/') ? `${key}/` : key;
    target = { store: createStore(`s3://${bucket}`, env.s3), prefix, uriOf: (k) => `s3://${bucket}/${k}` };
  } else {
    target = { store: new LocalStore(values.out), prefix: '', uriOf: (k) => `./${k}` };
  }
  const { datasetKey } = await writeSimulatedDataset(data, target, name, version);
  console.log(formatSimulationSummary(summarizeSimulation(data)));
  console.log(
    `\nwrote ${name}/${version} in ${((performance.now() - t0) / 1000).toFixed(1)} s; ` +
      `dataset description: ${target.store.describe(datasetKey)}`,
  );
  return 0;
}
