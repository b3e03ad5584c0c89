import { createReadStream, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsvChunks, type RawTable } from '@bidfcl/io';
import { CliError } from '../cli-error.js';

/** The environment variable that names the folder holding the built-in datasets' files. */
export const DATA_DIR_ENV = 'BIDFCL_DATA_DIR';

/** The repository root: the nearest ancestor of `from` whose package.json is named "bidfcl". */
export function findRepoRoot(from: string): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'bidfcl') return dir;
      } catch {
        /* not JSON: keep walking */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * Where the built-in datasets' files are read from: $BIDFCL_DATA_DIR when set, else `shared/data` beside the
 * repository root (the repository is checked out next to `shared/`, whose data files are never copied in).
 * The root is found by walking up from this module (src/ or dist/ alike) to the package.json named "bidfcl";
 * outside a checkout the fallback is ../shared/data from the working directory.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  from: string = path.dirname(fileURLToPath(import.meta.url)),
): string {
  const fromEnv = env[DATA_DIR_ENV];
  if (fromEnv && fromEnv.trim() !== '') return path.resolve(fromEnv);
  const root = findRepoRoot(from);
  return root ? path.join(path.dirname(root), 'shared', 'data') : path.resolve('..', 'shared', 'data');
}

/**
 * The path of a data file, or a config error (exit 2) saying exactly which path is missing and how to point
 * elsewhere.
 */
export function requireDataFile(dataDir: string, relative: string, dataset: string): string {
  const file = path.join(dataDir, relative);
  if (!existsSync(dataDir)) {
    throw new CliError(
      `dataset '${dataset}' reads ${relative} from the data directory ${dataDir}, which does not exist; ` +
        `point at the folder that holds it with ${DATA_DIR_ENV}=<dir> or --data-dir <dir>`,
      2,
    );
  }
  if (!existsSync(file)) {
    throw new CliError(
      `dataset '${dataset}' needs ${file}, which does not exist; ` +
        `point at a folder that holds ${relative} with ${DATA_DIR_ENV}=<dir> or --data-dir <dir>`,
      2,
    );
  }
  return file;
}

/** Reads a CSV data file into a raw table, streaming it from disk (errors name the file). */
export async function readCsvFile(file: string): Promise<RawTable> {
  return parseCsvChunks(createReadStream(file), file);
}

/** A numeric column of a raw table, or an error naming the file, the column and the first non-numeric cell. */
export function numberColumn(raw: RawTable, name: string, file: string): Float64Array {
  const col = raw.columns.get(name);
  if (!col) throw new Error(`${file}: missing column '${name}' (columns: ${[...raw.columns.keys()].join(', ')})`);
  if (col.kind !== 'number') {
    const bad = col.values.findIndex((v) => !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.trim()));
    throw new Error(
      `${file}: column '${name}' must hold numbers; data row ${bad + 1} holds '${col.values[bad] ?? ''}'`,
    );
  }
  for (let i = 0; i < col.values.length; i++)
    if (!Number.isFinite(col.values[i]!))
      throw new Error(`${file}: column '${name}' has a missing or non-finite value at data row ${i + 1}`);
  return col.values;
}

/** A text column of a raw table (numbers become their decimal text). */
export function textColumn(raw: RawTable, name: string, file: string): string[] {
  const col = raw.columns.get(name);
  if (!col) throw new Error(`${file}: missing column '${name}' (columns: ${[...raw.columns.keys()].join(', ')})`);
  return col.kind === 'string' ? col.values : Array.from(col.values, String);
}
