import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import {
  datasetSpecSchema,
  formatZodError,
  runConfigSchema,
  type DatasetSpec,
  type RunConfig,
} from '@bidfcl/contracts';
import { deepMerge } from './args.js';
import { usageError } from './cli-error.js';

/**
 * The most aliases (`*name`) one YAML file may expand. A config uses a handful; a "billion laughs" file nests
 * aliases to expand into gigabytes, and the parser stops it at this count (the `yaml` package's default, set
 * here so that it stays so).
 */
export const MAX_YAML_ALIASES = 100;

/** Parses the YAML (or JSON) text of `file`; any problem is a usage error (exit 2) naming the file. */
export function parseYamlText(file: string, text: string): unknown {
  try {
    return parseYaml(text, { maxAliasCount: MAX_YAML_ALIASES });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const pos = err.linePos?.[0];
      throw usageError(`${file}${pos ? `:${pos.line}:${pos.col}` : ''}: invalid YAML: ${err.message.split('\n')[0]}`);
    }
    // The alias limit and other resource guards throw plain errors: still the file's fault, not ours.
    throw usageError(`${file}: cannot be read as YAML: ${(err as Error).message.split('\n')[0]}`);
  }
}

async function readYaml(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw usageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseYamlText(file, text);
}

const isLocalPath = (uri: string) => !uri.startsWith('store:') && !/^[a-z][a-z0-9+.-]*:\/\//i.test(uri);

/** Makes a dataset's local source paths absolute, relative to the file that named them. */
function absolutiseSources(dataset: unknown, baseDir: string): unknown {
  if (typeof dataset !== 'object' || dataset === null) return dataset;
  const d = dataset as { splits?: Record<string, unknown> };
  if (typeof d.splits !== 'object' || d.splits === null) return dataset;
  const splits = Object.fromEntries(
    Object.entries(d.splits).map(([k, v]) => [
      k,
      Array.isArray(v)
        ? v.map((u) =>
            typeof u === 'string' && isLocalPath(u) && !path.isAbsolute(u)
              ? path.resolve(baseDir, u) + (u.endsWith('/') ? '/' : '')
              : u,
          )
        : v,
    ]),
  );
  return { ...d, splits };
}

/**
 * Reads a run config (YAML or JSON). `dataset` may be inline or a path to a dataset file (as `bidfcl simulate`
 * writes); relative paths resolve against the file that holds them. Any problem is a usage error (exit 2) with
 * the file and the dotted path of the offending key.
 */
export async function loadRunConfigFile(file: string, overrides: Record<string, unknown> = {}): Promise<RunConfig> {
  const raw = await readYaml(file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw usageError(`${file}: a run config must be a mapping (runId, dataset, methods, …)`);
  let config = deepMerge(raw, overrides) as Record<string, unknown>;
  const baseDir = path.dirname(path.resolve(file));
  if (typeof config.dataset === 'string') {
    const datasetFile = path.resolve(baseDir, config.dataset);
    config = { ...config, dataset: absolutiseSources(await readYaml(datasetFile), path.dirname(datasetFile)) };
  } else {
    config = { ...config, dataset: absolutiseSources(config.dataset, baseDir) };
  }
  const parsed = runConfigSchema.safeParse(config);
  if (!parsed.success) throw usageError(`${file}: invalid run config:\n${formatZodError(parsed.error)}`);
  return parsed.data;
}

/** Reads a dataset file (as `bidfcl simulate` writes, or a run config's `dataset:` names); exit 2 on any problem. */
export async function loadDatasetFile(file: string): Promise<DatasetSpec> {
  const raw = absolutiseSources(await readYaml(file), path.dirname(path.resolve(file)));
  const parsed = datasetSpecSchema.safeParse(raw);
  if (!parsed.success) throw usageError(`${file}: invalid dataset:\n${formatZodError(parsed.error)}`);
  return parsed.data;
}
